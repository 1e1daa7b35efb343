import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createResendTransport,
  sendChunkWithRetry,
  type ResendTransportOptions,
} from '../../../src/send/transports/index.ts';
import { paced, type PacedRequest } from '../../../src/send/transports/rate.ts';
import type { Transport } from '../../../src/send/types.ts';
import {
  startResendStub,
  type ResendStub,
  type ResendStubOptions,
  type StubFault,
} from '../../support/resend-stub.ts';
import { deliveriesPerRecipient } from '../../support/resend-stub-process.ts';
import { fakeClock } from '../../support/fake-clock.ts';
import { loopbackTime } from '../../support/loopback-time.ts';
import { email, emails, maxInAnyWindow } from './fixtures.ts';

let stub: ResendStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function setup(
  stubOptions: ResendStubOptions = {},
  options: Partial<ResendTransportOptions> = {},
): Promise<{ stub: ResendStub; transport: Transport }> {
  stub = await startResendStub({ rateLimit: 100, ...stubOptions });
  return { stub, transport: createResendTransport({ apiKey: stub.apiKey, baseUrl: stub.url, ...options }) };
}

describe('resend transport', () => {
  it('sends a chunk to /emails/batch and returns each recipient with its provider id', async () => {
    const { stub, transport } = await setup();
    const outcome = await transport.sendChunk(emails(3), { idempotencyKey: 'nyhetsbrev/c1/0' });
    const recorded = stub.emails();
    expect(outcome).toEqual({
      results: recorded.map((e, index) => ({ index, to: e.to[0], status: 'sent', providerId: e.id })),
    });
    expect(recorded[0]).toMatchObject({
      idempotencyKey: 'nyhetsbrev/c1/0',
      headers: {
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'List-Id': 'Nyhetsbrev <nyhetsbrev.example.org>',
      },
      tags: [
        { name: 'issue', value: '2023-03' },
        { name: 'campaign', value: 'c1' },
      ],
    });
    expect(recorded[0]?.text).toContain('åäö');
  });

  it('sends byte-identical payloads for the same chunk, even with headers in another order', async () => {
    const { stub, transport } = await setup();
    const chunk = emails(2);
    const reordered = chunk.map((e) => ({
      ...e,
      headers: Object.fromEntries(Object.entries(e.headers).reverse()),
    }));
    const first = await transport.sendChunk(chunk, { idempotencyKey: 'k' });
    const second = await transport.sendChunk(reordered, { idempotencyKey: 'k' });
    const [a, b] = stub.requests();
    expect(a?.bodySha256).toBe(b?.bodySha256);
    expect(second).toEqual(first);
    expect(stub.emails()).toHaveLength(2);
  });

  it('turns one bad address in 100 into one permanent failure and 99 sent', async () => {
    const { stub, transport } = await setup();
    const chunk = emails(100);
    chunk[7] = email('inte-en-adress');
    const outcome = await transport.sendChunk(chunk, { idempotencyKey: 'k' });
    expect(outcome.stop).toBeUndefined();
    expect(outcome.results.filter((r) => r.status === 'sent')).toHaveLength(99);
    expect(outcome.results[7]).toMatchObject({ index: 7, to: 'inte-en-adress', status: 'failed' });
    expect(outcome.results[7]?.status === 'failed' && outcome.results[7].reason).toContain(
      'Invalid `to` field',
    );
    expect(stub.emails().map((e) => e.to[0])).not.toContain('inte-en-adress');
  });

  it('refuses a chunk larger than 100 before any request', async () => {
    const { stub, transport } = await setup();
    await expect(transport.sendChunk(emails(101), { idempotencyKey: 'k' })).rejects.toThrow(RangeError);
    expect(stub.requests()).toHaveLength(0);
  });

  const faults: [StubFault, object, string][] = [
    ['error500', { kind: 'retryable', maybeProcessed: true, code: 'application_error' }, '500'],
    ['html502', { kind: 'retryable', maybeProcessed: true }, '502'],
    ['hang', { kind: 'retryable', maybeProcessed: true }, 'No response from Resend within'],
    ['drop', { kind: 'retryable', maybeProcessed: true }, 'No response from Resend'],
    [
      'rateLimit',
      { kind: 'retryable', maybeProcessed: false, retryAfterMs: 1000, code: 'rate_limit_exceeded' },
      '429',
    ],
    ['dailyQuota', { kind: 'quota', period: 'daily', code: 'daily_quota_exceeded' }, '429'],
    ['monthlyQuota', { kind: 'quota', period: 'monthly', code: 'monthly_quota_exceeded' }, '429'],
  ];
  it.each(faults)('classifies %s', async (fault, expected, reason) => {
    // Only the hang needs a short timeout; the others must not race one.
    const timeout = { requestTimeoutMs: fault === 'hang' ? 300 : undefined };
    const { stub, transport } = await setup({ faults: { script: [fault] } }, timeout);
    const outcome = await transport.sendChunk(emails(2), { idempotencyKey: 'k' });
    expect(outcome.results).toEqual([]);
    expect(outcome.stop).toMatchObject(expected);
    expect(outcome.stop?.reason).toContain(reason);
    expect(stub.emails()).toHaveLength(fault === 'drop' ? 2 : 0);
  });

  it('classifies a refused API key as auth', async () => {
    const { transport } = await setup({}, { apiKey: 're_wrong' });
    expect((await transport.sendChunk(emails(1), { idempotencyKey: 'k' })).stop).toMatchObject({
      kind: 'auth',
      code: 'invalid_api_key',
    });
  });

  it('classifies a changed chunk under a used key as conflict', async () => {
    const { transport } = await setup();
    await transport.sendChunk(emails(2), { idempotencyKey: 'k' });
    const outcome = await transport.sendChunk(emails(2, 'changed'), { idempotencyKey: 'k' });
    expect(outcome.stop).toMatchObject({ kind: 'conflict', code: 'invalid_idempotent_request' });
  });

  it('classifies a request refused as a whole (an invalid idempotency key) as rejected', async () => {
    const { transport } = await setup();
    const outcome = await transport.sendChunk(emails(1), { idempotencyKey: 'x'.repeat(257) });
    expect(outcome.stop).toMatchObject({ kind: 'rejected', code: 'invalid_idempotency_key' });
  });

  it('rejects with the reason when the caller aborts', async () => {
    const { transport } = await setup({ faults: { script: ['hang'] } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stopped by the user')), 100);
    await expect(
      transport.sendChunk(emails(1), { idempotencyKey: 'k', signal: controller.signal }),
    ).rejects.toThrow('stopped by the user');
  });

  it('retried with the same key after faults, delivers every recipient exactly once', async () => {
    const { stub, transport } = await setup({
      faults: { script: ['error500', 'drop', 'html502', 'rateLimit'] },
    });
    const attempts: number[] = [];
    const outcome = await sendChunkWithRetry(
      transport,
      emails(50),
      { idempotencyKey: 'nyhetsbrev/c1/0' },
      {
        policy: { maxAttempts: 6, baseMs: 10, maxMs: 50 },
        beforeAttempt: (attempt) => void attempts.push(attempt),
      },
    );
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    expect(outcome.stop).toBeUndefined();
    expect(outcome.results.every((r) => r.status === 'sent')).toBe(true);
    const counts = deliveriesPerRecipient(stub.emails());
    expect(counts.size).toBe(50);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // The dropped request was processed; the last attempt got its ids back instead of sending again.
    expect(outcome.results.map((r) => r.status === 'sent' && r.providerId)).toEqual(
      stub.emails().map((e) => e.id),
    );
  });

  it('never exceeds the provider limit in any 1 s window, learning it from the headers', async () => {
    // Sender and stub on one virtual time: a request arrives when its head goes out.
    const time = loopbackTime();
    const { stub, transport } = await setup({ rateLimit: 4, clock: time.stubClock }, { clock: time.clock });
    const chunks = Array.from({ length: 14 }, (_, i) => emails(2, `chunk${i}`));
    // Two senders sharing one transport, to exercise concurrent reservations too.
    const lane = async (start: number) => {
      for (let i = start; i < chunks.length; i += 2)
        await transport.sendChunk(chunks[i]!, { idempotencyKey: `c/${i}` });
    };
    await time.run(() => Promise.all([lane(0), lane(1)]));
    const requests = stub.requests();
    expect(requests).toHaveLength(14);
    expect(requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(
      maxInAnyWindow(
        requests.map((r) => r.at),
        1000,
      ),
    ).toBeLessThanOrEqual(4);
    expect(stub.emails()).toHaveLength(28);
  });

  it("starts two requests before the first answer (a Resend team's default limit), the third after it", async () => {
    // The stub holds each request until the test answers it; the pacer's clock stands still, so
    // only an answer can let the third go (not a window passing meanwhile).
    const clock = fakeClock();
    const answers = new Map<number, () => void>();
    const { stub, transport } = await setup(
      { rateLimit: 10, hold: (seq) => new Promise<void>((resolve) => answers.set(seq, resolve)) },
      { clock },
    );
    const sending = [0, 1, 2].map((i) =>
      transport.sendChunk(emails(1, `first${i}`), { idempotencyKey: `c/${i}` }),
    );
    await vi.waitUntil(() => answers.size === 2);
    await clock.advance(500); // half a window: still the first one
    await new Promise((resolve) => setTimeout(resolve, 100)); // a third request would be here by now
    expect(stub.requests()).toHaveLength(2);
    const [first] = [...answers.keys()];
    const answeredAt = performance.now();
    answers.get(first!)!(); // its answer says 10 per second
    await vi.waitUntil(() => answers.size === 3);
    expect(stub.requests()[2]!.at).toBeGreaterThanOrEqual(answeredAt);
    for (const answer of answers.values()) answer();
    await Promise.all(sending);
    expect(stub.emails()).toHaveLength(3);
  });

  it('turns first attempts early by their ledger write, never their requests, and retries not at all', async () => {
    // 3 requests/s, answers after 100 ms: each request counts from its head + 30 ms.
    const time = loopbackTime();
    const { transport } = await setup(
      { rateLimit: 3, latencyMs: 100, clock: time.stubClock },
      { clock: time.clock },
    );
    const published: PacedRequest[] = [];
    const listen = (request: unknown) => published.push(request as PacedRequest);
    paced.subscribe(listen);
    try {
      await time.run(async () => {
        for (let i = 0; i < 9; i++) {
          const reservation = await transport.reserve!();
          await time.clock.sleep(i % 2 ? 25 : 10); // the ledger write
          await transport.sendChunk(emails(1, `lead${i}`), { idempotencyKey: `c/${i}`, reservation });
        }
        await transport.sendChunk(emails(1, 'retry'), { idempotencyKey: 'c/retry' }); // no reservation
      });
    } finally {
      paced.unsubscribe(listen);
    }
    // The pacer's own edge for each request: a window (and its 2 ms margin) after the arrival of
    // the request 3 before it, counted from that one's head + allowance, or its answer if sooner.
    const edges = published.slice(3).map((request, i) => {
      const earlier = published[i]!;
      const edge = Math.min(earlier.end, earlier.start! + earlier.transitMs) + 1000 + 2;
      return { turn: request.admitted, head: request.start!, edge };
    });
    for (const { head, edge } of edges) expect(head).toBeGreaterThanOrEqual(edge);
    // First attempts' turns come before their edge, by no more than the shortest ledger write.
    const early = edges.slice(0, -1).flatMap(({ turn, edge }) => (turn < edge ? [edge - turn] : []));
    expect(early.length).toBeGreaterThan(0);
    expect(Math.max(...early)).toBeLessThanOrEqual(10);
    expect(edges.at(-1)!.turn).toBeGreaterThanOrEqual(edges.at(-1)!.edge);
  });

  it('keeps under its own ceiling when it is lower than the provider limit', async () => {
    const time = loopbackTime();
    const { stub, transport } = await setup(
      { rateLimit: 50, clock: time.stubClock },
      { maxRequestsPerSecond: 3, clock: time.clock },
    );
    await time.run(async () => {
      for (let i = 0; i < 8; i++) await transport.sendChunk(emails(1, `x${i}`), { idempotencyKey: `c/${i}` });
    });
    const requests = stub.requests();
    expect(requests.filter((r) => r.status === 429)).toEqual([]);
    expect(
      maxInAnyWindow(
        requests.map((r) => r.at),
        1000,
      ),
    ).toBe(3);
  });
});
