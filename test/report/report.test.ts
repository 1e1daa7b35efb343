import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forgetPerson, removeSubscriber, type Store } from '../../src/audience/index.ts';
import { startPreview } from '../../src/preview/index.ts';
import { formatReport, formatReportList } from '../../src/report/issue-report-text.ts';
import { allReports, issueReport, NOT_MEASURED } from '../../src/report/issue-report.ts';
import { applyResendEvent } from '../../src/serve/webhooks.ts';
import type { ServeDeps } from '../../src/serve/types.ts';
import { startResendStub } from '../support/resend-stub.ts';
import {
  afterThisTest,
  ARCHIVE,
  projectStore,
  SECRET,
  seedSubscribers,
  send,
  tempProject,
} from '../send/helpers.ts';

const ENV = { RESEND_API_KEY: 're_test_stub', NYHETSBREV_SECRET: SECRET };

/** Six recipients sent issue 2025-01 through the Resend stub; their addresses and provider ids in send order. */
async function sentCampaign() {
  const stub = await startResendStub({ rateLimit: 1000 });
  afterThisTest(() => stub.close());
  const project = tempProject(['transport:', '  default: resend', '  resend:', `    baseUrl: ${stub.url}`]);
  seedSubscribers(project, 6);
  const run = await send(project, { env: ENV });
  expect(run.error).toBeUndefined();
  const store = projectStore(project, ENV);
  const rows = store.db
    .prepare<[], { email: string; provider_id: string }>(
      'SELECT email, provider_id FROM deliveries ORDER BY position',
    )
    .all();
  return { project, store, rows };
}

/** A Resend webhook event, applied as `serve` applies a verified one. */
function event(
  store: Store,
  id: string,
  type: string,
  providerId: string,
  at: string,
  bounce?: string,
): void {
  applyResendEvent({ store } as ServeDeps, id, {
    type,
    created_at: at,
    data: { email_id: providerId, ...(bounce ? { bounce: { type: bounce } } : {}) },
  });
}

describe('the report of an issue', () => {
  it('counts recipients, delivery events, and who unsubscribed or was forgotten since, keeping no address', async () => {
    const { store, rows } = await sentCampaign();
    const [p0, p1, p2, p3, p4] = rows;
    event(store, 'm1', 'email.delivered', p0!.provider_id, '2030-01-01T08:01:00Z');
    event(store, 'm2', 'email.delivered', p1!.provider_id, '2030-01-01T08:01:00Z');
    event(store, 'm3', 'email.delivered', p2!.provider_id, '2030-01-01T08:01:00Z');
    event(store, 'm4', 'email.complained', p2!.provider_id, '2030-01-01T09:00:00Z');
    event(store, 'm5', 'email.bounced', p3!.provider_id, '2030-01-01T08:01:00Z', 'Permanent');
    event(store, 'm6', 'email.bounced', p4!.provider_id, '2030-01-01T08:01:00Z', 'Transient');
    event(store, 'm7', 'email.opened', p0!.provider_id, '2030-01-01T10:00:00Z'); // never recorded
    removeSubscriber(store, p0!.email);
    forgetPerson(store, p1!.email);

    const report = issueReport(store, '2025-01');
    expect(report).toEqual({
      issueId: '2025-01',
      campaign: {
        ref: expect.stringMatching(/^c1-[0-9a-f]{8}$/) as string,
        subject: 'Januarinumret – kort och klart',
        lists: ['nyhetsbrev', 'digitalisering', 'arkiv', 'upphandling', 'tillganglighet'],
        status: 'complete',
        transport: 'resend',
        timing: {
          frozenAt: expect.any(String) as string,
          startedAt: expect.any(String) as string,
          finishedAt: expect.any(String) as string,
          seconds: expect.any(Number) as number,
          emailsPerSecond: expect.any(Number) as number,
        },
        recipients: { frozen: 6, sent: 6, failed: 0, uncertain: 0, skipped: 0, notSentYet: 0 },
        // p2's complaint came after its delivery: delivered and complained both count it.
        provider: {
          delivered: 3,
          bounced: { hard: 1, soft: 1 },
          complained: 1,
          delayed: 0,
          suppressed: 0,
          failed: 0,
          noEvent: 1,
        },
        since: { unsubscribed: 1, forgotten: 1 },
      },
      schedule: null,
      opensAndClicks: 'not measured',
      note: NOT_MEASURED,
    });
    const { timing } = report.campaign!;
    expect(Date.parse(timing.startedAt!)).toBeGreaterThanOrEqual(Date.parse(timing.frozenAt!));
    expect(Date.parse(timing.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(timing.startedAt!));
    expect(JSON.stringify(report)).not.toContain('@');
    expect(allReports(store)).toEqual([report]);

    const text = formatReport(report);
    expect(text).toContain('  recipients  6 frozen: 6 sent, 0 failed, 0 uncertain, 0 skipped');
    expect(text).toContain(
      '  provider    3 delivered, 2 bounced (1 hard, 1 soft), 1 complained; no event yet for 1',
    );
    expect(text).toContain(
      '  since then  1 of the recipients unsubscribed, 1 were forgotten (erased on request)',
    );
    // The send ran just now: near midnight the UTC time is on another day, and says which.
    expect(text).toMatch(
      / {2}send {8}started \d{4}-\d\d-\d\d \d\d:\d\d Europe\/Stockholm \((\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\), ended \d\d:\d\d; 6 emails in/,
    );
    expect(text.endsWith(NOT_MEASURED)).toBe(true);
    expect(formatReportList([report])).toMatch(
      /^2025-01 {4}\d{4}-\d\d-\d\d \d\d:\d\d {2}complete {2}6 sent, 0 failed, 3 delivered, 2 bounced, 1 complained, 1 unsubscribed since\n/,
    );
  }, 60_000);

  it('counts what the ledger says when no delivery events come, and refuses an issue never sent', async () => {
    const project = tempProject();
    seedSubscribers(project, 4);
    expect((await send(project)).error).toBeUndefined();
    const store = projectStore(project);
    const report = issueReport(store, '2025-01');
    expect(report.campaign?.transport).toBe('outbox');
    expect(report.campaign?.provider).toMatchObject({ delivered: 0, noEvent: 4 });
    expect(formatReport(report)).toContain(
      "  provider    no delivery events for the 4 sent (they come from Resend's webhooks to `serve`; the outbox and SMTP send none)",
    );
    expect(() => issueReport(store, '2025-02')).toThrow(
      expect.objectContaining({
        name: 'NotSent',
        message: `No send of 2025-02 is recorded in ${project.database}.`,
      }),
    );
  }, 60_000);

  it('is shown by the preview for a sent issue, in Swedish, and not for one never sent', async () => {
    const project = tempProject();
    seedSubscribers(project, 3);
    expect((await send(project)).error).toBeUndefined();
    const issues = join(project.dir, 'issues');
    cpSync(ARCHIVE, issues, { recursive: true });
    const preview = await startPreview({ issuesDir: issues, config: project.config(), port: 0 });
    afterThisTest(() => preview.close());
    const page = await fetch(`${preview.url}issues/2025-01/report`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<h1>Utskicket av 2025-01</h1>');
    expect(html).toMatch(/<th scope="row">Skickade<\/th>\s*<td>3<\/td>/);
    expect(html).toMatch(/<th scope="row">Mottagare \(frysta\)<\/th>\s*<td>3<\/td>/);
    expect(html).toContain('Öppningar och klick mäts inte, med avsikt:');
    expect(html).not.toContain('@example.org');
    const never = await fetch(`${preview.url}issues/2025-02/report`);
    expect(never.status).toBe(404);
    expect(await never.text()).toContain('Numret har inte skickats');
  }, 90_000);
});
