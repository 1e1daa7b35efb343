import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BuiltEmail } from '../cache/emails.ts';
import type { Config } from '../config/schema.ts';
import { compileJob, type CompileJob, type CompiledIssue } from './compile.ts';
import type { EmailContext, EmailJob } from './email-job.ts';

/**
 * The kinds of job the pool runs: each with its job, its result (undefined: the caller does the
 * job again on its own, see `compileJob` and `emailJob`) and what every job of a run shares.
 */
export interface Kinds {
  compile: { job: CompileJob; result: CompiledIssue | undefined; context: undefined };
  email: { job: EmailJob; result: BuiltEmail | undefined; context: EmailContext };
}

/** What a worker is started with. */
export interface WorkerData<K extends keyof Kinds = keyof Kinds> {
  config: Config;
  kind: K;
  context: Kinds[K]['context'];
}

/** Worker threads besides the main one (default {@link defaultThreads}); see `runInParallel`. */
export interface ParallelOptions {
  threads?: number | undefined;
  mainThread?: boolean;
}

/** Messages to a worker. */
export type ToWorker = { type: 'jobs'; jobs: { index: number; job: unknown }[] } | { type: 'done' };

/** Messages from a worker. */
export type FromWorker =
  { type: 'ready' } | { type: 'results'; results: { index: number; result: unknown }[] };

// Compiled to lib/ (the CLI), the worker is JavaScript beside this module and starts directly;
// from src/ (tests, benchmarks) it is TypeScript, run through tsx's loader.
const COMPILED = import.meta.url.endsWith('.js');
const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
const WORKER = fileURLToPath(
  new URL(COMPILED ? './compile-worker.js' : './compile-worker.ts', import.meta.url),
);

/**
 * Below this many jobs a worker is not worth starting: it takes ≈ 2 s of CPU to load the parser
 * through tsx and warm up (≈ 1 s more for MJML), while one issue compiles in ≈ 35 ms (measured by
 * bench/web.ts) and one email renders in ≈ 110 ms (parsing, MJML).
 */
export const MIN_PARALLEL_JOBS: { [K in keyof Kinds]: number } = { compile: 100, email: 40 };

// Jobs per message. The main thread takes small bites so it answers a waiting worker quickly;
// each worker holds two chunks, so it never waits for the main thread between them.
const WORKER_CHUNK = 4;
const MAIN_CHUNK = 1;

/** Worker threads to use besides the main thread: one per further core, at most 7. */
export function defaultThreads(): number {
  return Math.max(0, Math.min(availableParallelism() - 1, 7));
}

/**
 * Compiles `jobs` (see `compileJob`) on the main thread and `threads` worker threads at once; see
 * {@link runInParallel}. `mainThread: false` leaves every job to the workers (for tests of the
 * worker path).
 */
export async function compileInParallel(
  jobs: readonly CompileJob[],
  config: Config,
  options: ParallelOptions = {},
): Promise<(CompiledIssue | undefined)[]> {
  return runInParallel('compile', jobs, { config, kind: 'compile', context: undefined }, options, (job) =>
    compileJob(job, config),
  );
}

/**
 * Runs `jobs` of one kind on the main thread (`run`) and `threads` worker threads at once,
 * sharing one queue, so every core works — when there are at least {@link MIN_PARALLEL_JOBS} of
 * them. Results are in job order whatever thread made them; a worker that fails to start or dies
 * leaves its jobs to the main thread. `mainThread: false` leaves every job to the workers but
 * those they fail (for tests of the worker path).
 */
export async function runInParallel<K extends keyof Kinds>(
  kind: K,
  jobs: readonly Kinds[K]['job'][],
  data: WorkerData<K>,
  { threads = defaultThreads(), mainThread = true }: ParallelOptions,
  run: (job: Kinds[K]['job']) => Kinds[K]['result'] | Promise<Kinds[K]['result']>,
): Promise<Kinds[K]['result'][]> {
  const results = new Array<Kinds[K]['result']>(jobs.length);
  const queue = new Queue(jobs.length);
  const count = !mainThread ? Math.max(1, threads) : jobs.length >= MIN_PARALLEL_JOBS[kind] ? threads : 0;
  const helpers = Array.from({ length: count }, () => new Helper(jobs, data, queue, results));
  try {
    for (;;) {
      // With `mainThread: false` (tests of the workers) it runs only what workers failed to.
      const indices = queue.take(MAIN_CHUNK, mainThread || helpers.every((helper) => helper.settled));
      if (indices.length > 0) {
        for (const index of indices) results[index] = await run(jobs[index]!);
        // Let workers' messages in: they wait for their next chunk.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      if (helpers.every((helper) => helper.settled)) break;
      await queue.changed();
    }
  } finally {
    for (const helper of helpers) helper.stop();
  }
  return results;
}

/** The shared queue of job indices, plus jobs handed back by failed workers. */
class Queue {
  private next = 0;
  private readonly returned: number[] = [];
  private wake: (() => void) | undefined;

  constructor(private readonly size: number) {}

  take(count: number, fresh = true): number[] {
    if (this.returned.length > 0) return this.returned.splice(0, count);
    if (!fresh) return [];
    const start = this.next;
    this.next = Math.min(this.size, start + count);
    return Array.from({ length: this.next - start }, (_, offset) => start + offset);
  }

  giveBack(indices: Iterable<number>): void {
    this.returned.push(...indices);
    this.notify();
  }

  notify(): void {
    this.wake?.();
    this.wake = undefined;
  }

  changed(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }
}

/** One worker thread and the jobs it holds. */
class Helper<K extends keyof Kinds> {
  settled = false;
  private readonly held = new Set<number>();
  private readonly worker: Worker | undefined;

  constructor(
    private readonly jobs: readonly Kinds[K]['job'][],
    data: WorkerData<K>,
    private readonly queue: Queue,
    private readonly results: Kinds[K]['result'][],
  ) {
    try {
      this.worker = COMPILED
        ? new Worker(WORKER, { workerData: data })
        : new Worker(RUN_TS, { argv: [WORKER], workerData: data });
    } catch {
      // No worker (threads unavailable, a config that cannot be copied): the main thread does it all.
      this.settled = true;
      return;
    }
    this.worker.on('message', (message: FromWorker) => this.receive(message));
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
  }

  private receive(message: FromWorker): void {
    if (message.type === 'ready') {
      this.send();
      this.send();
    } else {
      for (const { index, result } of message.results) {
        this.results[index] = result as Kinds[K]['result'];
        this.held.delete(index);
      }
      this.send();
    }
    if (this.held.size === 0) this.finish();
  }

  private send(): void {
    const indices = this.queue.take(WORKER_CHUNK);
    if (indices.length === 0) return;
    for (const index of indices) this.held.add(index);
    const jobs = indices.map((index) => ({ index, job: packed(this.jobs[index]!) }));
    const message: ToWorker = { type: 'jobs', jobs };
    this.worker?.postMessage(message);
  }

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    const done: ToWorker = { type: 'done' };
    this.worker?.postMessage(done);
    this.queue.notify();
  }

  // Whatever it held goes back to the queue; the main thread compiles it.
  private fail(): void {
    if (this.settled) return;
    this.settled = true;
    this.queue.giveBack(this.held);
    this.held.clear();
  }

  stop(): void {
    this.settled = true;
    void this.worker?.terminate();
  }
}

// Small file reads share one 8 KB pool buffer, which a message would copy whole: copy each file's
// bytes into one exact buffer per issue instead.
function packed<J extends { bytes: Uint8Array[] }>(job: J): J {
  const total = job.bytes.reduce((sum, bytes) => sum + bytes.byteLength, 0);
  const all = new Uint8Array(total);
  let offset = 0;
  const bytes = job.bytes.map((part) => {
    all.set(part, offset);
    const view = all.subarray(offset, offset + part.byteLength);
    offset += part.byteLength;
    return view;
  });
  return { ...job, bytes };
}
