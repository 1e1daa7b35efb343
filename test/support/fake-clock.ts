import { setImmediate as turn, setTimeout as pause } from 'node:timers/promises';
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
   * end of the earliest. Rejects when nothing is left at all (a deadlock) — unless `busy` is
   * given: then `body` also waits for I/O this clock cannot see (a request on loopback), time
   * stands still while `busy()` is true, and a body waiting on nothing here is given real time.
   */
  run: <T>(body: () => Promise<T>, options?: { busy?: () => boolean }) => Promise<T>;
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
    async run(body, { busy } = {}) {
      let done = false;
      const result = body().finally(() => {
        done = true;
      });
      result.catch(() => undefined);
      for (;;) {
        await settle();
        if (done) return result;
        const wait = busy?.() ? undefined : next();
        if (wait) {
          fire(wait);
        } else if (!busy) {
          throw new Error('Deadlock: the body waits, but for nothing on this clock.');
        } else {
          // The body waits for I/O, which takes real time; this clock's time stands still.
          await pause(1);
        }
      }
    },
  };
}
