/**
 * A worker thread of `serve`'s due-send check (ticker.ts): runs `runDueSends` off serve's event
 * loop, so a send's SQLite waits and CPU never hold up a request. Lines go to the main thread's
 * log; a `stop` message interrupts the send cleanly; the runs are posted back when done.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config/schema.ts';
import { runDueSends } from './due.ts';

/** What the main thread gives the worker. */
export interface DueWorkerData {
  config: Config;
  env: NodeJS.ProcessEnv;
  /** The main thread's clock when it started the worker (it may be a test's fake clock). */
  now: string;
}

/** Messages from the worker. */
export type FromDueWorker =
  | { type: 'log'; line: string }
  | { type: 'done'; runs: Awaited<ReturnType<typeof runDueSends>> }
  | { type: 'failed'; name: string; code: string | undefined };

const port = parentPort!;
const data = workerData as DueWorkerData;
const controller = new AbortController();
port.on('message', (message: { type: 'stop' }) => {
  if (message.type === 'stop') controller.abort(new Error('The process is shutting down'));
});
// The main thread's clock, moving on from where it stood.
const started = Date.now();
const clock = (): Date => new Date(Date.parse(data.now) + (Date.now() - started));
const post = (message: FromDueWorker): void => port.postMessage(message);
try {
  const runs = await runDueSends(data.config, {
    clock,
    env: data.env,
    log: (line) => post({ type: 'log', line }),
    signal: controller.signal,
    // serve runs for months: the renderers a send loads would stay in its memory all that time.
    sendOptions: { isolateBuild: true },
  });
  post({ type: 'done', runs });
} catch (error) {
  const code = (error as { code?: unknown } | null)?.code;
  post({
    type: 'failed',
    name: (error as Error | null)?.name ?? 'error',
    code: typeof code === 'string' ? code : undefined,
  });
}
port.close();
