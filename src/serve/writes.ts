import type { Store } from '../audience/store.ts';

/** How `serve` waits for the database's write lock. Tests pass a clock and sleeper of their own. */
export interface LockWaitOptions {
  /** Longest wait for the lock before a write gives up with {@link StoreBusy}. Default 500 ms. */
  budgetMs: number;
  /** Monotonic milliseconds; default `performance.now`. */
  now: () => number;
  /** Waits about `ms`, letting the event loop run meanwhile; default a timer. */
  sleep: (ms: number) => Promise<void>;
}

/** Runs writes once the write lock is free, never blocking the event loop while it waits. */
export interface WriteGate {
  /**
   * Runs `fn` in one IMMEDIATE transaction. Rejects with {@link StoreBusy} when the lock stayed
   * taken (an import, a send) for `budgetMs`; nothing was written then. Other errors roll back and
   * pass through.
   */
  run<T>(fn: () => T, budgetMs?: number): Promise<T>;
}

/** A write gave up waiting for the lock; `serve` answers 503 with `Retry-After`. */
export class StoreBusy extends Error {
  override readonly name = 'StoreBusy';
  constructor() {
    super('the database is busy: another process holds the write lock');
  }
}

/**
 * Reads may wait this long (synchronously) for SQLite's own locks. In WAL mode readers do not wait
 * for a writer, so this only covers brief moments such as a checkpoint resetting the WAL.
 */
const READ_BUSY_MS = 100;
// Half the 1 s every request must be answered in: the other half is for a machine under load.
const DEFAULT_BUDGET_MS = 500;

interface Waiting {
  fn: () => unknown;
  deadline: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * A {@link WriteGate} over `store`. better-sqlite3 is synchronous: with SQLite's busy_timeout a
 * write waiting for an import's lock would freeze every request for seconds. Instead each attempt
 * takes the lock without waiting (busy_timeout 0); when it is taken, the write joins a queue that
 * one poller retries every ~10–25 ms, first come first served, each until its own deadline
 * (default 0.5 s). The cost of polling stays the same however many requests wait.
 */
export function createWriteGate(store: Store, options: Partial<LockWaitOptions> = {}): WriteGate {
  const budget = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const now = options.now ?? (() => performance.now());
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()));
  store.db.pragma(`busy_timeout = ${READ_BUSY_MS}`);
  const queue: Waiting[] = [];
  let polling = false;

  const poll = async (): Promise<void> => {
    polling = true;
    try {
      await workThrough(store, queue, now, sleep);
    } finally {
      polling = false;
    }
  };

  return {
    async run<T>(fn: () => T, budgetMs = budget): Promise<T> {
      // Nobody waiting: try at once, so an idle database costs no extra turn of the event loop.
      if (queue.length === 0) {
        const attempt = tryWrite(store, fn);
        if (attempt !== BUSY) {
          if ('error' in attempt) throw attempt.error;
          return attempt.value as T;
        }
      }
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, deadline: now() + budgetMs, resolve: resolve as (value: unknown) => void, reject });
        if (!polling) void poll();
      });
    },
  };
}

/**
 * Tries the first waiting write until the queue is empty, sleeping ~10–25 ms while the lock is
 * taken; a write past its deadline gives up with {@link StoreBusy}. Never rejects.
 */
async function workThrough(
  store: Store,
  queue: Waiting[],
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  try {
    while (queue.length > 0) {
      const time = now();
      for (const job of queue.filter((waiting) => waiting.deadline <= time)) {
        queue.splice(queue.indexOf(job), 1);
        job.reject(new StoreBusy());
      }
      const job = queue[0];
      if (!job) break;
      const attempt = tryWrite(store, job.fn);
      if (attempt === BUSY) {
        await sleep(10 + Math.random() * 15);
        continue;
      }
      queue.shift();
      if ('error' in attempt) job.reject(attempt.error);
      else job.resolve(attempt.value);
    }
  } catch (error) {
    // The connection itself failed (closed at shutdown): nobody may be left waiting.
    for (const job of queue.splice(0)) job.reject(error);
  }
}

const BUSY = Symbol('busy');

type Attempt = { value: unknown } | { error: unknown };

/** One try at the lock: {@link BUSY} when another connection holds it, else the outcome. */
function tryWrite(store: Store, fn: () => unknown): Attempt | typeof BUSY {
  let began = false;
  store.db.pragma('busy_timeout = 0');
  try {
    const value = store.transaction(() => {
      began = true;
      return fn();
    });
    return { value };
  } catch (error) {
    // Only a refused BEGIN IMMEDIATE is a wait; once the lock is ours a busy error is a failure.
    if (!began && isBusy(error)) return BUSY;
    return { error };
  } finally {
    store.db.pragma(`busy_timeout = ${READ_BUSY_MS}`);
  }
}

/** True for SQLite's "database is locked" family (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, …). */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
