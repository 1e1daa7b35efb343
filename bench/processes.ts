import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { spawnStubProcess } from '../test/support/resend-stub-process.ts';
import { ROOT } from './setup.ts';

/** What the provider saw of a send: each API request's arrival (its `performance.now()`) and answer. */
export interface ProviderLog {
  requests: { at: number; status: number | string }[];
  /** The provider process's `performance.timeOrigin`, when it tells (the counting stub does). */
  origin?: number | undefined;
}

/** Runs `node ARGS…` (with `env` added); resolves with the last line it printed, rejects when it fails. */
export function runChild(args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
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
  log(): Promise<ProviderLog>;
  stop(): Promise<void>;
}> {
  const counter = await spawnStubProcess(join(ROOT, 'bench/resend-counter.ts'), [
    '--rate-limit',
    String(limit),
    '--latency-ms',
    '50',
  ]);
  return {
    ...counter,
    async log() {
      const { data, origin } = (await (await fetch(`${counter.url}/__stub/requests`)).json()) as {
        data: ProviderLog['requests'];
        origin: number;
      };
      return { requests: data, origin };
    },
  };
}
