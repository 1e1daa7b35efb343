import { setImmediate as turn } from 'node:timers/promises';
import type { MonotonicClock } from '../../src/send/transports/clock.ts';

/**
 * A clock whose time moves only when the test moves it: the pacer's and the retry loop's waits
 * become exact numbers to assert, and a loaded machine cannot make a test fail.
 */
export interface FakeClock extends MonotonicClock {
  /** Every wait asked for, in ms, in the order asked. */
  readonly sleeps: number[];
  /** Waits not yet over. */
  pending: () => number;
  /** Lets pending work run, then moves time on by `ms`, ending the waits due on the way in order. */
  advance: (ms: number) => Promise<void>;
  /**
   * Runs `body` in virtual time: whenever nothing but waits is left to happen, time jumps to the
   * end of the earliest. Rejects when nothing is left at all (a deadlock).
   */
  run: <T>(body: () => Promise<T>) => Promise<T>;
}

interface Wait {
  at: number;
  order: number;
  end: () => void;
}

/** Lets promise chains and immediates that are already queued run to their next wait. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await turn();
}

/** A {@link FakeClock} starting at `start` ms. */
export function fakeClock(start = 0): FakeClock {
  let now = start;
  let order = 0;
  const waits: Wait[] = [];
  const sleeps: number[] = [];
  const next = (): Wait | undefined => waits.sort((a, b) => a.at - b.at || a.order - b.order).shift();
  const fire = (wait: Wait) => {
    now = Math.max(now, wait.at);
    wait.end();
  };
  return {
    sleeps,
    now: () => now,
    pending: () => waits.length,
    sleep(ms, signal) {
      sleeps.push(ms);
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason as Error);
        const wait: Wait = {
          at: now + ms,
          order: order++,
          end: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          waits.splice(waits.indexOf(wait), 1);
          reject(signal?.reason as Error);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waits.push(wait);
      });
    },
    async advance(ms) {
      const until = now + ms;
      await settle();
      for (let wait = next(); wait; wait = next()) {
        if (wait.at > until) {
          waits.push(wait);
          break;
        }
        fire(wait);
        await settle();
      }
      now = until;
    },
    async run(body) {
      let done = false;
      const result = body().finally(() => {
        done = true;
      });
      result.catch(() => undefined);
      for (;;) {
        await settle();
        if (done) return result;
        const wait = next();
        if (!wait) throw new Error('Deadlock: the body waits, but for nothing on this clock.');
        fire(wait);
      }
    },
  };
}
