import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { openStore } from '../audience/index.ts';
import type { Config } from '../config/schema.ts';
import type { DueRun } from './due.ts';
import { countDue } from './store.ts';
import type { DueWorkerData, FromDueWorker } from './worker.ts';

/** How often `serve` looks for due sends. */
export const DUE_CHECK_MS = 60_000;

// Compiled to lib/ (the CLI), the worker is JavaScript beside this module and starts directly;
// from src/ (tests) it is TypeScript, run through tsx's loader (as src/load/pool.ts does).
const COMPILED = import.meta.url.endsWith('.js');
const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
const WORKER = fileURLToPath(new URL(COMPILED ? './worker.js' : './worker.ts', import.meta.url));

/** Options of {@link startDueSends}. */
export interface DueSendsOptions {
  /** Decides what is due (a test's fake clock); default the system clock. */
  clock?: () => Date;
  /** Secrets for the sends; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** One line per start and end of a due send, and per failed check. Never given an address. */
  log: (line: string) => void;
  /** Default {@link DUE_CHECK_MS}. */
  intervalMs?: number;
}

/** The due-send check of a long-running process. */
export interface DueSends {
  /** Runs one check now (or joins the one running) and resolves with what it did. */
  tick(): Promise<DueRun[]>;
  /** Stops the timer, interrupts a running send cleanly (it waits for the next check) and waits for it. */
  stop(): Promise<void>;
}

/**
 * What `serve` runs: a check for due sends at start and then every `intervalMs` on `clock`, one at
 * a time. The check itself is a read in this thread; only when something is due does a worker
 * thread start the sends (`runDueSends`), so serve's requests never wait on a send. A failing
 * check is logged (by name and code: a message could quote data), never thrown.
 */
export function startDueSends(config: Config, options: DueSendsOptions): DueSends {
  const clock = options.clock ?? (() => new Date());
  const env = options.env ?? process.env;
  let stopping = false;
  let worker: Worker | undefined;
  let running: Promise<DueRun[]> | undefined;
  const check = async (): Promise<DueRun[]> => {
    if (!anythingDue(config, clock(), env)) return [];
    const data: DueWorkerData = { config, env: { ...env }, now: clock().toISOString() };
    return runWorker(data, options.log, (current) => (worker = current));
  };
  const tick = (): Promise<DueRun[]> => {
    if (stopping) return Promise.resolve([]);
    running ??= check()
      .catch((error: unknown) => {
        options.log(`due sends: the check failed: ${nameAndCode(error)}`);
        return [];
      })
      .finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? DUE_CHECK_MS);
  timer.unref();
  void tick();
  return {
    tick,
    async stop() {
      stopping = true;
      clearInterval(timer);
      worker?.postMessage({ type: 'stop' });
      await running;
    },
  };
}

/**
 * Runs the due sends in a worker thread, passing on its log lines; resolves with its runs when it
 * exits. `track` is told the worker, and `undefined` once it is gone.
 */
function runWorker(
  data: DueWorkerData,
  log: (line: string) => void,
  track: (worker: Worker | undefined) => void,
): Promise<DueRun[]> {
  const started = COMPILED
    ? new Worker(WORKER, { workerData: data })
    : new Worker(RUN_TS, { argv: [WORKER], workerData: data });
  track(started);
  return new Promise<DueRun[]>((resolve, reject) => {
    let runs: DueRun[] = [];
    started.on('message', (message: FromDueWorker) => {
      if (message.type === 'log') log(message.line);
      else if (message.type === 'done') runs = message.runs;
      else reject(Object.assign(new Error('due sends failed'), message));
    });
    started.on('error', reject);
    started.on('exit', () => resolve(runs));
  }).finally(() => track(undefined));
}

/** An error by name and code only: its message could quote data. */
function nameAndCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as Error | null)?.name ?? 'error';
  return `${name}${typeof code === 'string' ? ` ${code}` : ''}`;
}

/** A read, no write lock: is any schedule due, or claimed by a process that may be gone? */
function anythingDue(config: Config, now: Date, env: NodeJS.ProcessEnv): boolean {
  const store = openStore(config.database, { env, now: () => now });
  try {
    return countDue(store, now.toISOString()) > 0;
  } finally {
    store.close();
  }
}
