/**
 * The report of one issue's send (`nyhetsbrev report`, and the preview's report page): what the
 * ledger, the provider's webhooks and the subscriber table say, as counts. Nothing here tracks
 * readers: no open pixels, no click redirects, so opens and clicks are not measured, by design.
 */
import type { Store } from '../audience/index.ts';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { latest, type Schedule } from '../schedule/store.ts';
import { deliveryCounts, findCampaign, type Campaign } from '../send/ledger.ts';

/** What the report says instead of open and click rates. */
export const NOT_MEASURED =
  'Opens and clicks are not measured, by design: the emails carry no tracking pixels and no click redirects.';

/** The report of one issue (the JSON of `report --json`, one object per issue). */
export interface IssueReport {
  issueId: string;
  /** Null when no send was ever started (a scheduled send may have failed before it froze anyone). */
  campaign: CampaignReport | null;
  /** The issue's latest scheduled send, if it ever had one. */
  schedule: ScheduleReport | null;
  opensAndClicks: 'not measured';
  note: typeof NOT_MEASURED;
}

/** A started send, in numbers. */
export interface CampaignReport {
  ref: string;
  subject: string;
  lists: string[];
  status: Campaign['status'];
  /** Transport of the latest provider call, if any was made. */
  transport: string | null;
  timing: {
    frozenAt: string | null;
    /** The first provider call's start and the last one's end; pauses between runs are included. */
    startedAt: string | null;
    finishedAt: string | null;
    seconds: number | null;
    /** Emails sent per second from start to end. */
    emailsPerSecond: number | null;
  };
  recipients: {
    frozen: number;
    sent: number;
    failed: number;
    uncertain: number;
    skipped: number;
    /** Queued or in flight: the send stopped, or is running. */
    notSentYet: number;
  };
  /** The provider's last word per sent email (Resend webhooks to `serve`). */
  provider: {
    delivered: number;
    bounced: { hard: number; soft: number };
    complained: number;
    /** Delivery delayed; the provider is still trying. */
    delayed: number;
    /** The provider refused to send: the address is on its suppression list. */
    suppressed: number;
    failed: number;
    /** Sent, but no delivery event has come (the outbox and SMTP report none). */
    noEvent: number;
  };
  /** Of the recipients frozen for this send, how many have since unsubscribed or been erased. */
  since: { unsubscribed: number; forgotten: number };
}

/** A schedule, as reports and `send --scheduled --json` show it. */
export type ScheduleReport = Pick<Schedule, 'dueAt' | 'zone' | 'status' | 'attempts' | 'outcome'>;

/**
 * The report of one issue. Throws `NotSent` when the issue was never sent nor scheduled.
 */
export function issueReport(store: Store, issueId: string): IssueReport {
  const campaign = findCampaign(store, issueId);
  const schedule = latest(store, issueId);
  if (!campaign && !schedule) {
    throw new UserError(E.NotSent, { issueId, database: store.path });
  }
  return {
    issueId,
    campaign: campaign ? campaignReport(store, campaign) : null,
    schedule: schedule ? scheduleReport(schedule) : null,
    opensAndClicks: 'not measured',
    note: NOT_MEASURED,
  };
}

/** Reports of every issue ever sent, the latest send first. */
export function allReports(store: Store): IssueReport[] {
  const ids = store.db
    .prepare<[], string>(
      'SELECT issue_id FROM campaigns ORDER BY coalesce(frozen_at, created_at) DESC, id DESC',
    )
    .pluck()
    .all();
  return ids.map((id) => issueReport(store, id));
}

/** The schedule's fields a report shows. */
export function scheduleReport(schedule: Schedule): ScheduleReport {
  const { dueAt, zone, status, attempts, outcome } = schedule;
  return { dueAt, zone, status, attempts, outcome };
}

function campaignReport(store: Store, campaign: Campaign): CampaignReport {
  const counts = deliveryCounts(store, campaign.id);
  const chunks = store.db
    .prepare<[number], { startedAt: string | null; finishedAt: string | null; transport: string | null }>(
      `SELECT min(started_at) AS startedAt, max(finished_at) AS finishedAt,
         (SELECT transport FROM chunks WHERE campaign_id = c.campaign_id AND transport IS NOT NULL
          ORDER BY started_at DESC LIMIT 1) AS transport
       FROM chunks c WHERE campaign_id = ?`,
    )
    .get(campaign.id)!;
  const seconds =
    chunks.startedAt && chunks.finishedAt
      ? Math.max(0, (Date.parse(chunks.finishedAt) - Date.parse(chunks.startedAt)) / 1000)
      : null;
  return {
    ref: campaign.ref,
    subject: campaign.subject,
    lists: campaign.lists,
    status: campaign.status,
    transport: chunks.transport,
    timing: {
      frozenAt: campaign.frozenAt,
      startedAt: chunks.startedAt,
      finishedAt: chunks.finishedAt,
      seconds,
      emailsPerSecond: seconds ? Math.round((counts.sent / seconds) * 10) / 10 : null,
    },
    recipients: {
      frozen: counts.total,
      sent: counts.sent,
      failed: counts.failed,
      uncertain: counts.uncertain,
      skipped: counts.skipped,
      notSentYet: counts.queued + counts.sending,
    },
    provider: providerCounts(store, campaign.id),
    since: sinceCounts(store, campaign.id),
  };
}

function providerCounts(store: Store, campaignId: number): CampaignReport['provider'] {
  const rows = store.db
    .prepare<[number], { event: string | null; n: number }>(
      `SELECT provider_event AS event, count(*) AS n FROM deliveries
       WHERE campaign_id = ? AND status = 'sent' GROUP BY provider_event`,
    )
    .all(campaignId);
  const n = (...events: (string | null)[]): number =>
    rows.filter((row) => events.includes(row.event)).reduce((sum, row) => sum + row.n, 0);
  return {
    // A complaint comes from a reader who got the email: it was delivered too.
    delivered: n('delivered', 'complained'),
    bounced: { hard: n('bounced'), soft: n('bounced_transient') },
    complained: n('complained'),
    delayed: n('delivery_delayed'),
    suppressed: n('suppressed'),
    failed: n('failed'),
    noEvent: n(null, 'sent'),
  };
}

/**
 * Counted from what is stored anyway, so nothing is kept that `forget` should erase: the frozen
 * recipients were all active when frozen, so one whose subscriber is `unsubscribed` now left
 * since; a row without an address is one `forget` scrubbed.
 */
function sinceCounts(store: Store, campaignId: number): CampaignReport['since'] {
  return store.db
    .prepare<[number], CampaignReport['since']>(
      `SELECT count(*) FILTER (WHERE s.status = 'unsubscribed') AS unsubscribed,
         count(*) FILTER (WHERE d.email IS NULL) AS forgotten
       FROM deliveries d LEFT JOIN subscribers s ON s.id = d.subscriber_id WHERE d.campaign_id = ?`,
    )
    .get(campaignId)!;
}
