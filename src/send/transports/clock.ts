import { performance } from 'node:perf_hooks';

/**
 * Time as the pacer and the retry loop see it: a monotonic `now` and a way to wait. The default
 * is the process's own ({@link monotonicClock}); tests pass a fake one and assert the waits it was
 * asked for instead of measuring real time.
 */
export interface MonotonicClock {
  /** Milliseconds since some fixed point, never going back (`performance.now()`). */
  now: () => number;
  /** Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The process's clock: `performance.now()` and `setTimeout`. */
export const monotonicClock: MonotonicClock = { now: () => performance.now(), sleep };
