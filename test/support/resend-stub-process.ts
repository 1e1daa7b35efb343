/**
 * The Resend stub across processes: its command line, a spawner that starts it as a child process
 * (so a test can SIGKILL the sender while the stub keeps counting), and an HTTP client for its
 * `/__stub/*` endpoints that works from any process.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ResendStub, ResendStubOptions, StubEmail, StubFaults, StubRequest } from './resend-stub.ts';

const STUB_FILE = fileURLToPath(new URL('./resend-stub.ts', import.meta.url));
const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));

/**
 * Flags: `--port N --host H --api-key K --rate-limit N --window-ms N --seed N --latency-ms N
 * --idempotency-ttl-ms N --daily-quota N --monthly-quota N --count-at head|body --body-delay-ms N`
 * and fault probabilities `--fault-500 P --fault-502 P
 * --fault-hang P --fault-drop P --fault-429 P`. Prints `RESEND_STUB_URL=<url>`; stops on SIGTERM.
 */
export async function runStubCli(
  start: (options: ResendStubOptions) => Promise<ResendStub>,
  argv: string[],
): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(FLAGS.map((flag) => [flag, { type: 'string' as const }])),
    strict: true,
  });
  const num = (flag: string): number | undefined =>
    values[flag] === undefined ? undefined : Number(values[flag]);
  const rates: NonNullable<StubFaults['rates']> = {};
  for (const [flag, fault] of Object.entries(FAULT_FLAGS)) {
    const rate = num(flag);
    if (rate !== undefined) rates[fault] = rate;
  }
  const options: ResendStubOptions = { faults: { rates } };
  const set = <K extends keyof ResendStubOptions>(key: K, value: ResendStubOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  set('port', num('port'));
  set('host', values.host);
  set('apiKey', values['api-key']);
  set('rateLimit', num('rate-limit'));
  set('windowMs', num('window-ms'));
  set('seed', num('seed'));
  set('latencyMs', num('latency-ms'));
  set('idempotencyTtlMs', num('idempotency-ttl-ms'));
  const countAt = values['count-at'];
  if (countAt !== undefined && countAt !== 'head' && countAt !== 'body')
    throw new Error(`--count-at takes head or body, not ${countAt}.`);
  set('countAt', countAt);
  set('bodyDelayMs', num('body-delay-ms'));
  const daily = num('daily-quota');
  const monthly = num('monthly-quota');
  if (daily !== undefined || monthly !== undefined) {
    options.quota = {
      ...(daily === undefined ? {} : { daily }),
      ...(monthly === undefined ? {} : { monthly }),
    };
  }
  const stub = await start(options);
  process.stdout.write(`RESEND_STUB_URL=${stub.url}\n`);
  const stop = (): void => void stub.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

const FAULT_FLAGS = {
  'fault-500': 'error500',
  'fault-502': 'html502',
  'fault-hang': 'hang',
  'fault-drop': 'drop',
  'fault-429': 'rateLimit',
} as const;

const FLAGS = [
  'port',
  'host',
  'api-key',
  'rate-limit',
  'window-ms',
  'seed',
  'latency-ms',
  'idempotency-ttl-ms',
  'daily-quota',
  'monthly-quota',
  'count-at',
  'body-delay-ms',
  ...Object.keys(FAULT_FLAGS),
];

/** Talks to a stub at `url` (in this process or another) through its `/__stub/*` endpoints. */
export function stubClient(url: string): Pick<ResendStub, 'url'> & {
  emails(): Promise<StubEmail[]>;
  requests(): Promise<StubRequest[]>;
  setFaults(faults: StubFaults): Promise<void>;
  reset(): Promise<void>;
} {
  const get = async <T>(path: string): Promise<T> =>
    ((await (await fetch(url + path)).json()) as { data: T }).data;
  const post = async (path: string, value: unknown): Promise<void> => {
    const response = await fetch(url + path, { method: 'POST', body: JSON.stringify(value) });
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  };
  return {
    url,
    emails: () => get('/__stub/emails'),
    requests: () => get('/__stub/requests'),
    setFaults: (faults) => post('/__stub/faults', faults),
    reset: () => post('/__stub/reset', {}),
  };
}

/** A stub running in a child process, plus a way to stop it. */
export type StubProcess = ReturnType<typeof stubClient> & { pid: number; stop(): Promise<void> };

/** Spawns the stub with CLI flags (e.g. `['--rate-limit', '5']`); resolves once it prints its URL. */
export async function spawnResendStub(flags: string[] = []): Promise<StubProcess> {
  const stub = await spawnStubProcess(STUB_FILE, ['--port', '0', ...flags]);
  return { ...stubClient(stub.url), ...stub };
}

/**
 * Runs a stub script (`node bin/run-ts.js FILE …ARGS`) in a child process and resolves with the
 * URL it prints as `RESEND_STUB_URL=…`, its pid, and a way to stop it.
 */
export async function spawnStubProcess(
  file: string,
  args: readonly string[],
): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [RUN_TS, file, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /RESEND_STUB_URL=(\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`The stub ${file} exited with ${code} before listening.`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** How many accepted emails each recipient got: the crash test's "exactly one each". */
export function deliveriesPerRecipient(emails: readonly StubEmail[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const email of emails) for (const to of email.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}
