import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** Messages to a worker. */
export type ToWorker = { type: 'jobs'; jobs: { index: number; job: unknown }[] } | { type: 'done' };

/** Messages from a worker. */
export type FromWorker =
  { type: 'ready' } | { type: 'results'; results: { index: number; result: unknown }[] };

// Compiled to lib/ (the CLI), the worker is JavaScript beside this module and starts directly;
// from src/ (tests, benchmarks) it is TypeScript, run through tsx's loader.
const COMPILED = import.meta.url.endsWith('.js');
const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
const WORKER = fileURLToPath(new URL(COMPILED ? './worker.js' : './worker.ts', import.meta.url));

// Jobs per message to a worker: each holds two chunks, so it never waits for the main thread
// between them.
const WORKER_CHUNK = 4;

/** The shared queue of job indices of `runInParallel`, plus jobs handed back by failed workers. */
export class Queue {
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
export class Helper<J extends { bytes: Uint8Array[] }, R> {
  settled = false;
  private readonly held = new Set<number>();
  private readonly worker: Worker | undefined;

  constructor(
    private readonly jobs: readonly J[],
    data: unknown,
    private readonly queue: Queue,
    /** Keeps the result of job `index`. */
    private readonly store: (index: number, result: R) => void,
    /** The worker's heap sizes; one that runs out of them dies, and its jobs come back. */
    resourceLimits?: ResourceLimits,
  ) {
    const options = { workerData: data, ...(resourceLimits && { resourceLimits }) };
    try {
      this.worker = COMPILED
        ? new Worker(WORKER, options)
        : new Worker(RUN_TS, { ...options, argv: [WORKER] });
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
        this.store(index, result as R);
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

  // Whatever it held goes back to the queue; the main thread compiles it. A worker that outgrew
  // its `resourceLimits` ends here too (an `ERR_WORKER_OUT_OF_MEMORY` error, then its exit).
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
