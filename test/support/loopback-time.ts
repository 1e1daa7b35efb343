import diagnostics from 'node:diagnostics_channel';
import type { MonotonicClock } from '../../src/send/transports/clock.ts';
import { fakeClock, type FakeClock } from './fake-clock.ts';

/**
 * One virtual time for a sender and the Resend stub of the same process, talking HTTP on loopback.
 * Time moves only when nothing but waits on the clock is left, and never while a request is on
 * its way (from fetch creating it to the end of its response) — unless the stub holds every such
 * request on the clock (its `latencyMs`, a slow upload). So a request reaches the stub at the
 * instant its head went out and is answered at once, however loaded the machine: what the test
 * sees is the pacer's arithmetic, not the scheduler's.
 */
export interface LoopbackTime {
  /** The sender's clock: the pacer's and the retry backoff's. */
  clock: FakeClock;
  /** The same time for the stub (`startResendStub({ clock: stubClock })`). */
  stubClock: MonotonicClock;
  /** Runs `body` (the sending) in this time, as {@link FakeClock.run} does. */
  run: <T>(body: () => Promise<T>) => Promise<T>;
}

/** Node's fetch (undici) tells these channels when a request is made and when it is over. */
const OPENED = 'undici:request:create';
const CLOSED = ['undici:request:trailers', 'undici:request:error'];

/** A {@link LoopbackTime} starting at 0 ms. */
export function loopbackTime(): LoopbackTime {
  const clock = fakeClock();
  let held = 0;
  const stubClock: MonotonicClock = {
    now: clock.now,
    async sleep(ms, signal) {
      held++;
      try {
        await clock.sleep(ms, signal);
      } finally {
        held--;
      }
    },
  };
  return {
    clock,
    stubClock,
    async run(body) {
      const open = new Set<unknown>();
      const opened = (message: unknown) => void open.add((message as { request: unknown }).request);
      const closed = (message: unknown) => void open.delete((message as { request: unknown }).request);
      diagnostics.subscribe(OPENED, opened);
      for (const name of CLOSED) diagnostics.subscribe(name, closed);
      try {
        return await clock.run(body, { busy: () => open.size > held });
      } finally {
        diagnostics.unsubscribe(OPENED, opened);
        for (const name of CLOSED) diagnostics.unsubscribe(name, closed);
      }
    },
  };
}
