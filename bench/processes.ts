import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './setup.ts';

const RUN_TS = join(ROOT, 'bin/run-ts.js');

/** Runs `node ARGS…`; resolves with the last line it printed, rejects when it fails. */
export function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('exit', (code) =>
      code === 0
        ? resolve(out.trim().split('\n').at(-1)!)
        : reject(new Error(`send child exited with ${code}`)),
    );
  });
}

/** Starts bench/resend-counter.ts as a child process, with the test stub's client shape. */
export async function spawnCounter(limit: number): Promise<{
  url: string;
  requests(): Promise<unknown[]>;
  stop(): Promise<void>;
}> {
  const child = spawn(
    process.execPath,
    [RUN_TS, join(ROOT, 'bench/resend-counter.ts'), '--rate-limit', String(limit), '--latency-ms', '50'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /RESEND_STUB_URL=(\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the counting stub exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    async requests() {
      return ((await (await fetch(`${url}/__stub/requests`)).json()) as { data: unknown[] }).data;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
