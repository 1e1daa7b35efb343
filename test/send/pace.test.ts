import { describe, expect, it, vi } from 'vitest';
import { verifyPreferencesToken, verifyUnsubscribeToken } from '../../src/tokens.ts';
import { deliveriesPerRecipient } from '../support/resend-stub-process.ts';
import { fakeClock } from '../support/fake-clock.ts';
import { loopbackTime } from '../support/loopback-time.ts';
import { startResendStub } from '../support/resend-stub.ts';
import { maxInAnyWindow } from './transports/fixtures.ts';
import {
  afterThisTest,
  ledger,
  projectStore,
  seedSubscribers,
  send,
  tempProject,
  SECRET,
} from './helpers.ts';

describe('the pace of a send', () => {
  it("never exceeds the provider's limit in any 1 s window, with several chunks in flight", async () => {
    // Sender and provider on one virtual time: a request arrives when its head goes out.
    const time = loopbackTime();
    const stub = await startResendStub({ rateLimit: 4, clock: time.stubClock });
    afterThisTest(() => stub.close());
    const project = tempProject(['transport:', '  default: resend', '  resend:', `    baseUrl: ${stub.url}`]);
    seedSubscribers(project, 1200);
    const run = await time.run(() =>
      send(project, {
        env: { RESEND_API_KEY: 're_test_stub', NYHETSBREV_SECRET: SECRET },
        waitClock: time.clock,
      }),
    );
    expect(run.error).toBeUndefined();
    expect(ledger(project)).toEqual({ sent: 1200 });
    const requests = stub.requests();
    expect(requests.filter((r) => r.status === 429)).toEqual([]);
    expect(requests).toHaveLength(12);
    expect(
      maxInAnyWindow(
        requests.map((r) => r.at),
        1000,
      ),
    ).toBeLessThanOrEqual(4);
  });
});

describe('a provider that counts a request only once it has read the body', () => {
  it('costs a few 429s at most, refused unprocessed and sent again, and nobody gets two', async () => {
    // The pacer assumes a request counts when its head arrives; this provider counts it up to
    // 600 ms later, varying, so now and then it finds one request too many in its window. Each
    // 429 pauses the send for its retry-after and doubles the pacer's allowance (the unit tests
    // of the pacer pin that down); the send must still end with every recipient sent once. On
    // virtual time the delays are the seed's alone: this seed's cost two 429s.
    const time = loopbackTime();
    const stub = await startResendStub({
      rateLimit: 4,
      countAt: 'body',
      bodyDelayMs: 600,
      seed: 2,
      clock: time.stubClock,
    });
    afterThisTest(() => stub.close());
    const project = tempProject(['transport:', '  default: resend', '  resend:', `    baseUrl: ${stub.url}`]);
    seedSubscribers(project, 2000);
    const run = await time.run(() =>
      send(project, {
        env: { RESEND_API_KEY: 're_test_stub', NYHETSBREV_SECRET: SECRET },
        waitClock: time.clock,
      }),
    );
    expect(run.error).toBeUndefined();
    expect(ledger(project)).toEqual({ sent: 2000 });
    const counts = deliveriesPerRecipient(stub.emails());
    expect(counts.size).toBe(2000);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const requests = stub.requests();
    const refused = requests.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0); // the case this test is about
    expect(refused.length).toBeLessThanOrEqual(5); // past the fifth the pacer counts from answers
    expect(requests.length - refused.length).toBe(20);
    expect(
      maxInAnyWindow(
        requests.filter((r) => r.status !== 429).map((r) => r.at),
        1000,
      ),
    ).toBeLessThanOrEqual(4);
  });
});

describe('chunks waiting for their turn', () => {
  it('are not marked started: an interrupted send leaves only the chunks that went out in doubt', async () => {
    const stub = await startResendStub({ rateLimit: 1 });
    afterThisTest(() => stub.close());
    const project = tempProject(['transport:', '  default: resend', '  resend:', `    baseUrl: ${stub.url}`]);
    seedSubscribers(project, 800); // 8 chunks, as many as lanes: all would start at once
    // The pacer's clock stands still: once the first answer told the limit (1 per second), every
    // chunk waits for its turn until the interrupt — all but the one or two a team may start
    // before that answer.
    const clock = fakeClock();
    const controller = new AbortController();
    const running = send(project, {
      signal: controller.signal,
      env: { RESEND_API_KEY: 're_test_stub', NYHETSBREV_SECRET: SECRET },
      transportOptions: { resend: { clock } },
    });
    await vi.waitUntil(() => (ledger(project).sent ?? 0) >= 100, { timeout: 30_000, interval: 20 });
    await new Promise((resolve) => setTimeout(resolve, 200)); // a third request would be here by now
    controller.abort(new Error('SIGINT'));
    const run = await running;
    expect(run.error?.name).toBe('SendStopped');
    const wentOut = stub.requests().length;
    expect(wentOut).toBeLessThanOrEqual(2);
    // Only the chunks that went out are sent or in doubt; the rest are still queued, not started.
    const rows = ledger(project);
    expect((rows.sent ?? 0) + (rows.sending ?? 0)).toBe(wentOut * 100);
    expect(rows.queued).toBe(800 - wentOut * 100);
  });
});

describe('what a Resend send delivers', () => {
  it('gives every recipient the whole issue with their own signed unsubscribe link, in HTML, text and header', async () => {
    const stub = await startResendStub({ rateLimit: 100 });
    afterThisTest(() => stub.close());
    const project = tempProject(['transport:', '  default: resend', '  resend:', `    baseUrl: ${stub.url}`]);
    seedSubscribers(project, 150);
    const run = await send(project, { env: { RESEND_API_KEY: 're_test_stub', NYHETSBREV_SECRET: SECRET } });
    expect(run.error).toBeUndefined();
    const emails = stub.emails();
    expect(emails).toHaveLength(150);
    const ids = new Map(
      projectStore(project)
        .db.prepare<[], { id: number; email: string; token_key: string }>(
          'SELECT id, email, token_key FROM subscribers',
        )
        .all()
        .map((row) => [row.email, { subscriberId: row.id, tokenKey: row.token_key }]),
    );
    const shapes = new Set<string>();
    for (const email of emails) {
      const url = /^<(https:[^>]+)>$/.exec(email.headers['List-Unsubscribe']!)![1]!;
      expect(verifyUnsubscribeToken(SECRET, new URL(url).searchParams.get('t')!)).toEqual(
        ids.get(email.to[0]!),
      );
      expect(email.text).toContain(url);
      expect(email.html).toContain(url.replace(/&/g, '&amp;'));
      // The preferences link is the recipient's own too.
      const prefs = /https:[^\s"<>]*\/installningar\?t=[^\s"<>&]+/.exec(email.text!)![0];
      expect(verifyPreferencesToken(SECRET, new URL(prefs).searchParams.get('t')!)).toEqual(
        ids.get(email.to[0]!),
      );
      expect(email.html).toContain(prefs);
      // Apart from those links, every recipient got the very same HTML and text.
      const blank = (body: string) => body.split(url).join('URL').split(prefs).join('PREFS');
      shapes.add(JSON.stringify([blank(email.html!), blank(email.text!)]));
    }
    expect(shapes.size).toBe(1);
    expect([...shapes][0]).toContain('Myndighetsnätverket');
  });
});
