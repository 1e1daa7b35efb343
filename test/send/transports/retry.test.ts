import { describe, expect, it } from 'vitest';
import {
  OUTBOX_CAPABILITIES,
  Pacer,
  retryDelayMs,
  sendChunkWithRetry,
} from '../../../src/send/transports/index.ts';
import type { ChunkOutcome, OutgoingEmail, Transport } from '../../../src/send/types.ts';
import { fakeClock } from '../../support/fake-clock.ts';
import { emails, maxInAnyWindow } from './fixtures.ts';

const retryable = { kind: 'retryable', reason: '500 application_error', maybeProcessed: true } as const;
const policy = { maxAttempts: 4, baseMs: 100, maxMs: 400 };

/** A transport that answers from a script and remembers what each attempt was given. */
function scripted(
  ...outcomes: ((chunk: readonly OutgoingEmail[]) => ChunkOutcome)[]
): Transport & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    name: 'outbox',
    maxChunkSize: 100,
    capabilities: OUTBOX_CAPABILITIES,
    calls,
    sendChunk: (chunk) => {
      calls.push(chunk.map((e) => e.to));
      const next = outcomes[Math.min(calls.length, outcomes.length) - 1]!;
      return Promise.resolve(next(chunk));
    },
    close: async () => {},
  };
}
const allSent = (chunk: readonly OutgoingEmail[]): ChunkOutcome => ({
  results: chunk.map((e, index) => ({ index, to: e.to, status: 'sent', providerId: `id-${e.to}` })),
});

describe('retryDelayMs', () => {
  it('backs off exponentially with equal jitter, capped at maxMs', () => {
    const bounds = [1, 2, 3, 4, 5].map((attempt) => [
      retryDelayMs(retryable, attempt, policy, () => 0),
      retryDelayMs(retryable, attempt, policy, () => 1),
    ]);
    expect(bounds).toEqual([
      [50, 100],
      [100, 200],
      [200, 400],
      [200, 400],
      [200, 400],
    ]);
  });

  it('never waits less than the provider asked with retry-after', () => {
    expect(retryDelayMs({ ...retryable, retryAfterMs: 1000 }, 1, policy, () => 0.5)).toBe(1000);
  });
});

describe('sendChunkWithRetry', () => {
  /** The backoff waits asked for, each over at once. */
  const recorder = () => {
    const waited: number[] = [];
    return { waited, sleep: (ms: number) => (waited.push(ms), Promise.resolve()) };
  };

  it('sends again only the emails without a result, and maps indexes back to the chunk', async () => {
    const transport = scripted(
      (chunk) => ({
        results: [
          { index: 0, to: chunk[0]!.to, status: 'sent', providerId: 'a' },
          { index: 2, to: chunk[2]!.to, status: 'failed', reason: '550 no such user' },
        ],
        stop: retryable,
      }),
      allSent,
    );
    const attempts: number[] = [];
    const { waited, sleep } = recorder();
    const outcome = await sendChunkWithRetry(
      transport,
      emails(4),
      { idempotencyKey: 'k' },
      { policy, random: () => 0.5, sleep, beforeAttempt: (n) => void attempts.push(n) },
    );
    expect(transport.calls).toEqual([
      emails(4).map((e) => e.to),
      ['person-1@example.org', 'person-3@example.org'],
    ]);
    expect(attempts).toEqual([1, 2]);
    expect(waited).toEqual([75]); // half of 100 ms plus half of the random half
    expect(outcome).toEqual({
      results: [
        { index: 0, to: 'person-0@example.org', status: 'sent', providerId: 'a' },
        { index: 1, to: 'person-1@example.org', status: 'sent', providerId: 'id-person-1@example.org' },
        { index: 2, to: 'person-2@example.org', status: 'failed', reason: '550 no such user' },
        { index: 3, to: 'person-3@example.org', status: 'sent', providerId: 'id-person-3@example.org' },
      ],
    });
  });

  it('gives up after maxAttempts and returns the last stop, backing off 75, 150, 300 ms in between', async () => {
    const transport = scripted(() => ({ results: [], stop: retryable }));
    const { waited, sleep } = recorder();
    const outcome = await sendChunkWithRetry(
      transport,
      emails(2),
      { idempotencyKey: 'k' },
      { policy, random: () => 0.5, sleep },
    );
    expect(transport.calls).toHaveLength(4);
    expect(waited).toEqual([75, 150, 300]);
    expect(outcome).toEqual({ results: [], stop: retryable });
  });

  it('does not retry quota, auth, conflict or rejected stops', async () => {
    const quota = { kind: 'quota', period: 'daily', reason: 'daily_quota_exceeded' } as const;
    const transport = scripted(() => ({ results: [], stop: quota }));
    const { waited, sleep } = recorder();
    expect(await sendChunkWithRetry(transport, emails(2), { idempotencyKey: 'k' }, { sleep })).toEqual({
      results: [],
      stop: quota,
    });
    expect(transport.calls).toHaveLength(1);
    expect(waited).toEqual([]);
  });

  it('rejects with the reason when aborted while waiting to retry', async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    const transport = scripted(() => ({ results: [], stop: { ...retryable, retryAfterMs: 60_000 } }));
    const sending = sendChunkWithRetry(
      transport,
      emails(1),
      { idempotencyKey: 'k', signal: controller.signal },
      { sleep: clock.sleep },
    );
    await clock.advance(10);
    expect(clock.sleeps).toEqual([60_000]); // retry-after, not the backoff
    controller.abort(new Error('SIGINT'));
    await expect(sending).rejects.toThrow('SIGINT');
    expect(transport.calls).toHaveLength(1);
  });
});

describe('Pacer', () => {
  const answer = async (pacer: Pacer, headers: Record<string, string>, status = 200, code?: string) => {
    const ticket = await pacer.acquire();
    ticket.sending();
    ticket.answered(headers, status, code);
    ticket.release();
  };

  it('enforces the announced limit, capped by its own ceiling', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ maxPerWindow: 3, clock });
    expect(pacer.limit).toBe(1);
    await answer(pacer, { 'ratelimit-limit': '10', 'ratelimit-remaining': '9', 'ratelimit-reset': '1' });
    expect(pacer.limit).toBe(3);
    await clock.run(() => answer(pacer, { 'ratelimit-limit': '2' }));
    expect(pacer.limit).toBe(2);
  });

  it('counts a window from the response when it comes before start + transit', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ windowMs: 300, initialLimit: 2, transitMs: 10_000, clock });
    const starts: number[] = [];
    await clock.run(async () => {
      for (let i = 0; i < 4; i++) {
        const ticket = await pacer.acquire();
        starts.push(clock.now());
        ticket.release(); // answered at once
      }
    });
    // Two per window: the third waits a window (and the 2 ms margin) from the first's response.
    expect(starts).toEqual([0, 0, 302, 302]);
    expect(clock.sleeps).toEqual([302]);
  });

  it('after the first window, counts a slow request from start + transit, not from its late response', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ windowMs: 300, initialLimit: 1, transitMs: 20, clock });
    const waited = await clock.run(async () => {
      await answer(pacer, {}); // the first window counts from responses
      await clock.sleep(350);
      const first = await pacer.acquire();
      first.sending();
      const started = clock.now();
      await clock.sleep(150); // a slow upload and answer
      first.release();
      (await pacer.acquire()).release();
      return clock.now() - started;
    });
    // From its start + 20 ms (+ the 2 ms margin), not from its end at 150 ms (which would be 452).
    expect(waited).toBe(20 + 300 + 2);
  });

  it('waits out retry-after and doubles the transit allowance after a 429, then counts from responses', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ windowMs: 1000, initialLimit: 5, transitMs: 200, clock });
    await clock.run(async () => {
      await answer(pacer, { 'retry-after': '1' }, 429);
      expect(pacer.optimistic).toBe(true); // 400 ms: still under half a window
      const ticket = await pacer.acquire();
      expect(clock.now()).toBe(1000);
      ticket.answered({ 'retry-after': '0' }, 429);
      ticket.release();
    });
    expect(clock.sleeps).toEqual([1000]);
    expect(pacer.optimistic).toBe(false); // 800 ms: past half a window
  });

  it('waits out ratelimit-reset when the provider counted more requests than ours', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ initialLimit: 100, clock });
    // Our one request cannot explain 100 counted: another sender shares the limit.
    await answer(pacer, { 'ratelimit-limit': '100', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' });
    expect(pacer.optimistic).toBe(false);
    await clock.run(async () => (await pacer.acquire()).release());
    expect(clock.sleeps).toEqual([1000]);
  });

  it('gives the first window 60 ms of transit', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ windowMs: 300, initialLimit: 1, transitMs: 20, clock });
    const waited = await clock.run(async () => {
      const first = await pacer.acquire();
      first.sending();
      await clock.sleep(150);
      first.release();
      (await pacer.acquire()).release();
      return clock.now();
    });
    expect(waited).toBe(60 + 300 + 2); // from its start + 60 ms, not + 20 ms, nor its end at 150
  });

  it('counts a request whose head never went out from its response', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ windowMs: 300, initialLimit: 1, transitMs: 20, clock });
    const waited = await clock.run(async () => {
      await answer(pacer, {}); // past the first window
      await clock.sleep(350);
      const first = await pacer.acquire(); // no sending(): the connection never opened
      const started = clock.now();
      await clock.sleep(150);
      first.release();
      (await pacer.acquire()).release();
      return clock.now() - started;
    });
    expect(waited).toBe(150 + 300 + 2);
  });

  it('takes a fractional ceiling as whole requests, and does not stall on it', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ windowMs: 200, maxPerWindow: 1.5, transitMs: 10_000, clock });
    await answer(pacer, { 'ratelimit-limit': '10', 'ratelimit-remaining': '9', 'ratelimit-reset': '1' });
    expect(pacer.limit).toBe(1);
    await clock.run(async () => {
      for (let i = 0; i < 3; i++) await answer(pacer, {});
    });
    // One request per window (and margin) from the previous response: 1, not 1.5 nor 0.
    expect(clock.now()).toBe(3 * 202);
  });

  it('does not slow down for a quota 429', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ initialLimit: 5, transitMs: 20, clock });
    await answer(pacer, { 'retry-after': '3600' }, 429, 'daily_quota_exceeded');
    expect(pacer.optimistic).toBe(true);
    await clock.run(async () => (await pacer.acquire()).release());
    // Only its turn in the even spacing of 5 per (1000 + 20 + 2) ms, counted from the first
    // request's slot (5 ms before it, the tolerance) — not the hour the 429 asked for.
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeCloseTo(1022 / 5 - 5);
  });

  it("lets the first window's requests go at once, and the next only when an answer told the limit", async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ initialLimit: 2, transitMs: 20, clock });
    const first = await pacer.acquire();
    const second = await pacer.acquire();
    expect(clock.sleeps).toEqual([]); // not spaced half a second apart
    first.sending();
    second.sending();
    let third: number | undefined;
    const next = pacer.acquire().then((ticket) => ((third = clock.now()), ticket));
    await clock.advance(500);
    expect(third).toBeUndefined(); // two is all a Resend team may do before it is told more
    first.answered({ 'ratelimit-limit': '10', 'ratelimit-remaining': '8', 'ratelimit-reset': '1' });
    first.release();
    await clock.advance(200);
    (await next).release();
    expect(third).toBe(500); // at once: the answer made room, and 10 per second allow a third
    second.release();
  });

  it('holds the window at the heads of first attempts that leave a while after their turn, and turns them early by that while', async () => {
    // A simulated provider: counts a request when its head arrives, 4 per 400 ms, refuses the
    // rest with 429, answers after 60 ms; every request takes 10 or 30 ms from its turn to its
    // head (its ledger write), on an open connection.
    const limit = 4;
    const windowMs = 400;
    const transitMs = 40;
    const clock = fakeClock();
    const pacer = new Pacer({ windowMs, initialLimit: 2, transitMs, clock });
    const counted: number[] = [];
    const requests: { turn: number; head: number; end: number; status: number }[] = [];
    const sleep = (ms: number) => clock.sleep(ms);
    let sent = 0;
    const one = async () => {
      const ticket = await pacer.acquire(undefined, { lead: true });
      const turn = clock.now();
      await sleep(sent++ % 2 ? 30 : 10); // the ledger write
      await ticket.handOver();
      ticket.sending();
      const head = clock.now();
      const inWindow = counted.filter((at) => at > head - windowMs).length;
      const status = inWindow < limit ? 200 : 429;
      if (status === 200) counted.push(head);
      const request = { turn, head, end: Number.POSITIVE_INFINITY, status };
      requests.push(request);
      await sleep(60);
      const remaining = String(Math.max(0, limit - inWindow - (status === 200 ? 1 : 0)));
      ticket.answered(
        { 'ratelimit-limit': String(limit), 'ratelimit-remaining': remaining, 'ratelimit-reset': '1' },
        status,
        status === 429 ? 'rate_limit_exceeded' : undefined,
      );
      ticket.release();
      request.end = clock.now();
    };
    let left = 20;
    await clock.run(() =>
      Promise.all(
        Array.from({ length: 4 }, async () => {
          while (left-- > 0) await one();
        }),
      ),
    );
    expect(requests.filter((r) => r.status === 429)).toEqual([]);
    expect(maxInAnyWindow(counted, windowMs)).toBeLessThanOrEqual(limit);
    expect(pacer.optimistic).toBe(true); // answers of a full window did not look like another sender
    // Each request's head keeps a window from the one `limit` before it — from that one's head
    // plus the allowance, or its answer if sooner — while its turn came before: the set-up no
    // longer adds to every window.
    const boundaries = requests.slice(limit).map((r, i) => ({
      ...r,
      boundary: Math.min(requests[i]!.end, requests[i]!.head + transitMs) + windowMs,
    }));
    for (const r of boundaries) expect(r.head).toBeGreaterThanOrEqual(r.boundary - 1);
    expect(boundaries.filter((r) => r.turn < r.boundary - 1).length).toBeGreaterThan(boundaries.length / 4);
  });

  it('takes no lead for a retry, and holds back a first attempt handed over sooner than its lead', async () => {
    // One request per 300 ms window, each in flight for 40 ms: counted from its head + 20 ms.
    const windowMs = 300;
    const transitMs = 20;
    const run = async (requests: { lead: boolean; lagMs: number }[]) => {
      const clock = fakeClock();
      const sleep = (ms: number) => clock.sleep(ms);
      const pacer = new Pacer({ windowMs, initialLimit: 1, transitMs, clock });
      const heads: number[] = [];
      await clock.run(async () => {
        for (const { lead, lagMs } of requests) {
          const ticket = await pacer.acquire(undefined, { lead });
          if (lagMs > 0) await sleep(lagMs);
          await ticket.handOver();
          ticket.sending();
          heads.push(clock.now());
          await sleep(40);
          ticket.answered({ 'ratelimit-limit': '1', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' });
          ticket.release();
        }
      });
      return heads.slice(1).map((head, i) => head - heads[i]!);
    };
    // First attempts whose ledger write takes 15 ms: each turn comes that much early.
    const firstAttempts = Array.from({ length: 6 }, () => ({ lead: true, lagMs: 15 }));
    // A retry writes nothing before its request: it takes no lead.
    const retry = await run([...firstAttempts, { lead: false, lagMs: 0 }]);
    // A first attempt with nothing to wait for: its turn came early, its request does not go early.
    const quick = await run([...firstAttempts, { lead: true, lagMs: 0 }]);
    for (const gap of [...retry, ...quick]) expect(gap).toBeGreaterThanOrEqual(windowMs + transitMs - 1);
  });

  it('does not take requests that started after this one arrived for ones the provider counted', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ initialLimit: 10, transitMs: 20, clock });
    const first = await pacer.acquire();
    first.sending();
    await clock.advance(100); // it arrived within 60 ms (first window)
    const later = await Promise.all(Array.from({ length: 5 }, () => pacer.acquire()));
    // The provider counted 6 in its window when `first` arrived: 5 of them are not ours.
    first.answered({ 'ratelimit-limit': '10', 'ratelimit-remaining': '4', 'ratelimit-reset': '1' });
    first.release();
    for (const ticket of later) ticket.release();
    expect(pacer.optimistic).toBe(false);
  });

  it('trusts its own count when the provider counted only ours', async () => {
    const pacer = new Pacer({ initialLimit: 3, transitMs: 20, clock: fakeClock() });
    const tickets = [await pacer.acquire(), await pacer.acquire(), await pacer.acquire()];
    for (const [i, ticket] of tickets.entries()) {
      ticket.answered({
        'ratelimit-limit': '3',
        'ratelimit-remaining': String(2 - i),
        'ratelimit-reset': '1',
      });
      ticket.release();
    }
    expect(pacer.optimistic).toBe(true);
  });
});
