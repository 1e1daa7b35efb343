import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyReport, processBounces, readReport } from '../../src/bounces/index.ts';
import { ROOT, tempDir, tempStore } from '../audience/helpers.ts';
import {
  type Campaign,
  fixture,
  maildir,
  mbox,
  PEOPLE,
  seed,
  SETTINGS,
  snapshot,
  stateOf,
} from './helpers.ts';

const [ANNA, ERIK, KARIN, OLOF] = PEOPLE as [string, string, string, string];

describe('reading relay reports', () => {
  it('reads a Postfix DSN as a hard bounce of the delivery its VERP address names', async () => {
    const store = tempStore();
    const [campaign] = seed(store);
    const report = await readReport(fixture('postfix-hard.eml', campaign!, 0));
    expect(report).toMatchObject({ kind: 'hard', status: '5.1.1', recipients: [ANNA] });
    expect(applyReport(store, SETTINGS, report)).toEqual({ outcome: 'hard', issueId: '2026-01' });
    expect(stateOf(store, ANNA)).toEqual({ status: 'bounced', suppressed: 'bounced' });
    expect(stateOf(store, ERIK)).toEqual({ status: 'active', suppressed: undefined });
    const event = store.db
      .prepare('SELECT kind, status, campaign_id, position, occurred_at FROM bounce_events')
      .get();
    expect(event).toEqual({
      kind: 'hard',
      status: '5.1.1',
      campaign_id: 1,
      position: 0,
      occurred_at: '2026-11-03T08:15:02.000Z',
    });
    const delivery = store.db
      .prepare('SELECT provider_event FROM deliveries WHERE campaign_id = 1 AND position = 0')
      .get();
    expect(delivery).toEqual({ provider_event: 'bounced' });
  });

  it('reads an Exchange NDR whose original message is cut off, by its recipient and Message-ID when there is no VERP domain', async () => {
    const store = tempStore();
    const [campaign] = seed(store);
    const report = await readReport(fixture('exchange-truncated.eml', campaign!, 1));
    expect(report).toMatchObject({ kind: 'hard', status: '5.1.10', recipients: [ERIK.toLowerCase()] });
    const applied = applyReport(store, { ...SETTINGS, domain: undefined }, report);
    expect(applied).toEqual({ outcome: 'hard', issueId: '2026-01' });
    expect(stateOf(store, ERIK)).toEqual({ status: 'bounced', suppressed: 'bounced' });
    const event = store.db.prepare('SELECT campaign_id, position FROM bounce_events').get();
    expect(event).toEqual({ campaign_id: 1, position: 1 });
  });

  it('finds the recipient from the VERP address alone when the DSN names only a forwarding target', async () => {
    const store = tempStore();
    const [campaign] = seed(store);
    const report = await readReport(fixture('verp-only.eml', campaign!, 2));
    expect(report.recipients).toEqual(['old-mailbox@forward.example.net']); // no subscriber of ours
    expect(applyReport(store, SETTINGS, report)).toEqual({ outcome: 'hard', issueId: '2026-01' });
    expect(stateOf(store, KARIN)).toEqual({ status: 'bounced', suppressed: 'bounced' });
  });

  it('applies a redacted ARF complaint through the VERP address in Original-Mail-From', async () => {
    const store = tempStore();
    const [campaign] = seed(store);
    const report = await readReport(fixture('arf-gmail-style.eml', campaign!, 3));
    expect(report).toMatchObject({ kind: 'complaint', status: 'abuse' });
    expect(applyReport(store, SETTINGS, report)).toEqual({ outcome: 'complaint', issueId: '2026-01' });
    expect(stateOf(store, OLOF)).toEqual({ status: 'complained', suppressed: 'complained' });
    expect(stateOf(store, 'redacted@example.com').suppressed).toBeUndefined();
  });

  it('leaves a report unmatched when its VERP token was made with another secret and it names no subscriber', async () => {
    const store = tempStore();
    const [campaign] = seed(store);
    const report = await readReport(fixture('arf-gmail-style.eml', campaign!, 3));
    expect(
      applyReport(store, { ...SETTINGS, secret: 'another-secret-0123456789-abcdefghijklm' }, report),
    ).toEqual({
      outcome: 'unmatched',
    });
    expect(stateOf(store, OLOF)).toEqual({ status: 'active', suppressed: undefined });
  });
});

describe('soft bounces', () => {
  const delayed = (campaign: Parameters<typeof fixture>[1], date: string, notice = '1') =>
    fixture('postfix-delayed.eml', campaign, 0, { DATE: date, N: `${campaign.id}${notice}` });

  it('suppresses after 3 soft bounces of different deliveries within 30 days, not before', async () => {
    const store = tempStore();
    const campaigns = seed(store, 3);
    const dates = [
      'Mon, 2 Nov 2026 10:00:00 +0000',
      'Tue, 10 Nov 2026 10:00:00 +0000',
      'Fri, 27 Nov 2026 10:00:00 +0000',
    ];
    const outcomes = [];
    for (const [n, campaign] of campaigns.entries()) {
      outcomes.push(applyReport(store, SETTINGS, await readReport(delayed(campaign, dates[n]!))).outcome);
      if (n < 2) expect(stateOf(store, ANNA)).toEqual({ status: 'active', suppressed: undefined });
    }
    expect(outcomes).toEqual(['soft', 'soft', 'soft-limit']);
    expect(stateOf(store, ANNA)).toEqual({ status: 'bounced', suppressed: 'bounced' });
  });

  it('counts repeated "still trying" notices about one delivery once', async () => {
    const store = tempStore();
    const [campaign] = seed(store);
    for (const hour of ['10', '14', '18', '22'])
      applyReport(
        store,
        SETTINGS,
        await readReport(delayed(campaign!, `Mon, 2 Nov 2026 ${hour}:00:00 +0000`, hour)),
      );
    expect(store.db.prepare("SELECT count(*) AS n FROM bounce_events WHERE kind = 'soft'").get()).toEqual({
      n: 4,
    });
    expect(stateOf(store, ANNA)).toEqual({ status: 'active', suppressed: undefined });
  });

  it('does not count soft bounces older than the window', async () => {
    const store = tempStore();
    const campaigns = seed(store, 3);
    const dates = [
      'Thu, 1 Oct 2026 10:00:00 +0000',
      'Tue, 10 Nov 2026 10:00:00 +0000',
      'Fri, 27 Nov 2026 10:00:00 +0000',
    ];
    const outcomes = [];
    for (const [n, campaign] of campaigns.entries())
      outcomes.push(applyReport(store, SETTINGS, await readReport(delayed(campaign, dates[n]!))).outcome);
    expect(outcomes).toEqual(['soft', 'soft', 'soft']);
    expect(stateOf(store, ANNA).status).toBe('active');
  });
});

describe('nyhetsbrev bounces over a mailbox', () => {
  const reports = (campaign: Parameters<typeof fixture>[1]) => [
    fixture('postfix-hard.eml', campaign, 0),
    fixture('exchange-truncated.eml', campaign, 1),
    fixture('verp-only.eml', campaign, 2),
    fixture('arf-gmail-style.eml', campaign, 3),
  ];

  it('reads a Maildir, marks each report read in cur/, and a second run changes nothing', async () => {
    const store = tempStore();
    const [campaign] = seed(store);
    const dir = maildir(join(tempDir(), 'Maildir'), reports(campaign!));
    const summary = await processBounces(store, SETTINGS, dir);
    expect(summary.outcomes).toMatchObject({ hard: 3, complaint: 1, duplicate: 0 });
    expect(summary.byIssue.get('2026-01')).toEqual({ hard: 3, complaint: 1 });
    expect(readdirSync(join(dir, 'new'))).toEqual([]);
    expect(readdirSync(join(dir, 'cur')).every((name) => name.endsWith(':2,S'))).toBe(true);
    const after = snapshot(store);
    expect(PEOPLE.map((p) => stateOf(store, p).status)).toEqual([
      'bounced',
      'bounced',
      'bounced',
      'complained',
    ]);
    // The same reports delivered again (a relay retry, a copy) change nothing.
    const again = maildir(join(tempDir(), 'Maildir'), reports(campaign!));
    expect((await processBounces(store, SETTINGS, again)).outcomes).toMatchObject({ duplicate: 4, hard: 0 });
    expect(snapshot(store)).toEqual(after);
  });

  it('reads an mbox file, and reading the same file again changes nothing', async () => {
    const store = tempStore();
    const [campaign] = seed(store);
    const file = mbox(join(tempDir(), 'bounces.mbox'), reports(campaign!));
    expect((await processBounces(store, SETTINGS, file)).outcomes).toMatchObject({ hard: 3, complaint: 1 });
    const after = snapshot(store);
    expect((await processBounces(store, SETTINGS, file)).outcomes).toMatchObject({ duplicate: 4 });
    expect(snapshot(store)).toEqual(after);
    expect(existsSync(file)).toBe(true);
  });

  it('refuses a folder that is not a Maildir with BouncesUnreadable', async () => {
    const store = tempStore();
    await expect(processBounces(store, SETTINGS, tempDir())).rejects.toMatchObject({
      name: 'BouncesUnreadable',
    });
  });
});

describe('a SIGKILL in the middle of nyhetsbrev bounces', () => {
  it('loses nothing and counts nothing twice: the rerun ends where an uninterrupted run ends', async () => {
    const run = (database: string, dir: string, killAfter: number) =>
      spawnSync(
        process.execPath,
        [
          join(ROOT, 'bin/run-ts.js'),
          join(ROOT, 'test/bounces/kill-run.ts'),
          database,
          dir,
          String(killAfter),
        ],
        {
          encoding: 'utf8',
        },
      );
    const messages = (campaigns: Campaign[]) => [
      ...campaigns.map((c, n) =>
        fixture('postfix-delayed.eml', c, 0, { DATE: `Mon, ${2 + n} Nov 2026 10:00:00 +0000` }),
      ),
      fixture('postfix-hard.eml', campaigns[0]!, 1),
      fixture('arf-gmail-style.eml', campaigns[0]!, 3),
    ];
    const results = [];
    for (const killAfter of [0, 2]) {
      const folder = tempDir();
      const store = tempStore({ now: () => new Date('2026-11-20T09:00:00Z') });
      const dir = maildir(join(folder, 'Maildir'), messages(seed(store, 3)));
      if (killAfter > 0) {
        const killed = run(store.path, dir, killAfter);
        expect(killed.signal, killed.stderr).toBe('SIGKILL');
        // The second report is committed but still unread in new/: it is read again below.
        expect(readdirSync(join(dir, 'new'))).toHaveLength(4);
        const rerun = run(store.path, dir, 0);
        expect(rerun.status, rerun.stderr).toBe(0);
      } else await processBounces(store, SETTINGS, dir);
      expect(readdirSync(join(dir, 'new'))).toEqual([]);
      results.push(snapshot(store));
    }
    expect(results[1]).toEqual(results[0]);
    const events = (results[0] as { events: { kind: string }[] }).events.map((e) => e.kind);
    expect(events).toEqual(['soft', 'soft', 'soft', 'hard', 'complaint']);
  });
});
