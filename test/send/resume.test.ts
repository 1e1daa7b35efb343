import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deliveriesPerRecipient } from '../support/resend-stub-process.ts';
import { startResendStub, type ResendStub, type StubFaults } from '../support/resend-stub.ts';
import {
  ARCHIVE,
  afterThisTest,
  ledger,
  projectStore,
  seedSubscribers,
  send,
  tempDir,
  tempProject,
  SECRET,
} from './helpers.ts';

const ENV = { RESEND_API_KEY: 're_test_stub', NYHETSBREV_SECRET: SECRET };

/** An in-process Resend stub and a project that sends through it to `n` subscribers of `arkiv`. */
async function setup(n: number, faults: StubFaults = {}) {
  const stub: ResendStub = await startResendStub({ rateLimit: 1000, faults });
  afterThisTest(() => stub.close());
  const project = tempProject(['transport:', '  default: resend', '  resend:', `    baseUrl: ${stub.url}`]);
  seedSubscribers(project, n);
  const run = (options: Parameters<typeof send>[1] = {}) =>
    send(project, { env: ENV, concurrency: 1, ...options });
  return { stub, project, run };
}

function campaignRef(project: ReturnType<typeof tempProject>): string {
  return projectStore(project).db.prepare('SELECT ref FROM campaigns').pluck().get() as string;
}

describe('resuming a send', () => {
  it('stops at the daily quota with a checkpoint; the next run sends the rest, each recipient once', async () => {
    const { stub, project, run } = await setup(250, { script: ['none', 'dailyQuota'] });
    const first = await run();
    expect(first.error?.name).toBe('SendStopped');
    expect(first.error?.message).toContain('The daily sending quota of resend is used up');
    expect(first.error?.message).toContain('100 of 250 recipients were sent (150 not sent yet).');
    expect(first.error?.hint).toContain(
      'Run `nyhetsbrev send 2025-01` again to resume; those already sent are skipped.',
    );
    expect(ledger(project)).toEqual({ sent: 100, queued: 150 });

    const second = await run();
    expect(second.error).toBeUndefined();
    expect(second.out).toContain(
      '250 sent, 0 failed, 0 skipped, 0 uncertain of 250 recipients (this run: 150 sent',
    );
    const counts = deliveriesPerRecipient(stub.emails());
    expect(counts.size).toBe(250);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(projectStore(project).db.prepare('SELECT count(*) FROM campaigns').pluck().get()).toBe(1);
  });

  it('retries a chunk left unfinished under the same key: the provider replays its answer, nobody gets two', async () => {
    // The stub processes the first request, then drops the connection; one attempt only, so the run ends.
    const { stub, project, run } = await setup(150, { script: ['drop'] });
    const first = await run({ policy: { maxAttempts: 1, baseMs: 1, maxMs: 1 } });
    expect(first.error?.name).toBe('SendStopped');
    expect(first.error?.hint).toContain('sent again under the same idempotency key');
    expect(ledger(project)).toEqual({ sending: 100, queued: 50 });

    const second = await run();
    expect(second.error).toBeUndefined();
    expect(ledger(project)).toEqual({ sent: 150 });
    const counts = deliveriesPerRecipient(stub.emails());
    expect([...counts.values()].every((n) => n === 1) && counts.size === 150).toBe(true);
    const chunk1 = stub.requests().filter((r) => r.idempotencyKey === `nyhetsbrev/${campaignRef(project)}/1`);
    expect(chunk1).toHaveLength(2);
    expect(chunk1[0]!.bodySha256).toBe(chunk1[1]!.bodySha256);
  });

  it('still retries under the same key a chunk first sent 23 h ago', async () => {
    const { stub, project, run } = await setup(100, { script: ['drop'] });
    await run({ policy: { maxAttempts: 1, baseMs: 1, maxMs: 1 } });
    const earlier = new Date(Date.now() - 23 * 3_600_000).toISOString();
    projectStore(project).db.prepare(`UPDATE chunks SET started_at = ?`).run(earlier);
    expect((await run()).error).toBeUndefined();
    expect(ledger(project)).toEqual({ sent: 100 });
    expect(new Set(deliveriesPerRecipient(stub.emails()).values())).toEqual(new Set([1]));
  });

  it('reports a chunk started more than 24 h ago as uncertain, and --uncertain=skip settles it', async () => {
    const { stub, project, run } = await setup(150, { script: ['drop'] });
    await run({ policy: { maxAttempts: 1, baseMs: 1, maxMs: 1 } });
    projectStore(project)
      .db.prepare(`UPDATE chunks SET started_at = '2000-01-01T00:00:00.000Z' WHERE status = 'started'`)
      .run();

    const second = await run();
    expect(second.error?.name).toBe('SendStopped');
    expect(second.error?.message).toContain('100 recipient(s) are uncertain');
    expect(second.error?.hint).toContain('--uncertain=skip');
    expect(second.out).toContain('more than 23.5 h ago; Resend forgets its idempotency key after 24 h');
    expect(ledger(project)).toEqual({ uncertain: 100, sent: 50 });

    const third = await run({ uncertain: 'skip' });
    expect(third.error).toBeUndefined();
    expect(ledger(project)).toEqual({ skipped: 100, sent: 50 });
    expect(deliveriesPerRecipient(stub.emails()).size).toBe(150);
    expect((await run()).out).toContain('2025-01 was already sent to 50 recipients on');
  });

  it('sends uncertain recipients again under a new key with --uncertain=resend', async () => {
    const { stub, project, run } = await setup(100, { script: ['drop'] });
    await run({ policy: { maxAttempts: 1, baseMs: 1, maxMs: 1 } });
    projectStore(project).db.prepare(`UPDATE chunks SET started_at = '2000-01-01T00:00:00.000Z'`).run();
    await run();
    const third = await run({ uncertain: 'resend' });
    expect(third.error).toBeUndefined();
    expect(ledger(project)).toEqual({ sent: 100 });
    // The dropped attempt had been delivered: resending was the operator's informed choice.
    expect(new Set(deliveriesPerRecipient(stub.emails()).values())).toEqual(new Set([2]));
    expect(stub.requests().at(-1)!.idempotencyKey).toBe(`nyhetsbrev/${campaignRef(project)}/1/r2`);
  });

  it('notices the issue changed since a chunk was handed over, and says so', async () => {
    const { project, run } = await setup(150, { script: ['drop'] });
    await run({ policy: { maxAttempts: 1, baseMs: 1, maxMs: 1 } });
    const edited = tempDir();
    cpSync(ARCHIVE, edited, { recursive: true });
    writeFileSync(
      join(edited, '2025-01/01-kalendarium.md'),
      '# Kalendarium\n\n- 13 februari: ändrat datum.\n',
    );
    const second = await run({ issuesDir: edited });
    expect(second.err).toContain('warning: 2025-01 changed since sending started');
    expect(second.err).toContain(
      'the issue changed since sending started (or the sender settings or NYHETSBREV_SECRET did): chunk 1 was handed to Resend with the earlier version',
    );
    expect(second.error?.name).toBe('SendStopped');
    expect(ledger(project)).toEqual({ uncertain: 100, sent: 50 });
  });

  it("reports Resend's 409 for a reused key with a changed body as a changed issue", async () => {
    const { stub, project, run } = await setup(100, { script: ['dailyQuota'] });
    await run();
    // Someone used chunk 1's key with another body (as an earlier version of the issue would have).
    await fetch(`${stub.url}/emails/batch`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer re_test_stub',
        'content-type': 'application/json',
        'idempotency-key': `nyhetsbrev/${campaignRef(project)}/1`,
      },
      body: JSON.stringify([
        { from: 'a@example.org', to: 'b@example.org', subject: 'Äldre version', text: 'x' },
      ]),
    });
    const second = await run();
    expect(second.error?.name).toBe('SendStopped');
    expect(second.error?.message).toContain('The issue changed since sending started');
    expect(second.error?.hint).toContain('--uncertain=skip');
    expect(ledger(project)).toEqual({ uncertain: 100 });
  });

  it('skips recipients who unsubscribed or were erased after the freeze', async () => {
    const { stub, project, run } = await setup(150, { script: ['none', 'dailyQuota'] });
    await run();
    const store = projectStore(project);
    const unsubscribed = store.findSubscriber('person-00120@example.org')!;
    store.updateSubscriber(unsubscribed.id, { status: 'unsubscribed' });
    store.erase('person-00130@example.org');
    const second = await run();
    expect(second.error).toBeUndefined();
    expect(ledger(project)).toEqual({ sent: 148, skipped: 2 });
    expect(second.out).toContain('1 × unsubscribed since the send started');
    expect(second.out).toContain('1 × forgotten (erased on request) since the send started');
    const to = new Set(stub.emails().flatMap((e) => e.to));
    expect(to.has('person-00120@example.org') || to.has('person-00130@example.org')).toBe(false);
  });

  it('never starts a second campaign: people added after the freeze are not part of it', async () => {
    const { stub, project, run } = await setup(150, { script: ['none', 'dailyQuota'] });
    await run();
    seedSubscribers(project, 5, 'arkiv', 'late');
    await run();
    expect(ledger(project)).toEqual({ sent: 150 });
    expect(stub.emails().some((e) => e.to[0]!.startsWith('late-'))).toBe(false);
  });

  it('stops without sending when the API key is refused, leaving every recipient queued', async () => {
    const { stub, project, run } = await setup(120);
    const result = await run({ env: { ...ENV, RESEND_API_KEY: 're_wrong' } });
    expect(result.error?.name).toBe('SendStopped');
    expect(result.error?.message).toContain('resend refused the credentials');
    expect(result.error?.message).toContain('0 of 120 recipients were sent (120 not sent yet).');
    expect(ledger(project)).toEqual({ queued: 120 });
    expect(stub.emails()).toHaveLength(0);
  });
});
