import { stopAddress } from '../audience/stop.ts';
import type { Store } from '../audience/store.ts';
import type { BounceReport } from './report.ts';
import { findVerpDeliveries } from './verp.ts';

/** How reports are matched and counted (`bounces` in the config, plus the send secret). */
export interface BounceSettings {
  /** The key VERP tokens were made with: the send secret (see send/secret.ts). */
  secret: string;
  /** `bounces.domain`; without it only the addresses a report names are used. */
  domain: string | undefined;
  /** Soft bounces of different deliveries within the window that suppress the address. */
  softLimit: number;
  softWindowDays: number;
}

/**
 * What reading one report did. `duplicate`: read before, nothing changed. `unmatched`: it names
 * no delivery and no address we know. `soft-limit`: a soft bounce that reached the limit.
 */
export type ReportOutcome =
  'duplicate' | 'ignored' | 'unmatched' | 'hard' | 'soft' | 'soft-limit' | 'complaint';

/** The outcome, with the issue whose delivery bounced when the report names one. */
export interface AppliedReport {
  outcome: ReportOutcome;
  issueId?: string;
}

/**
 * Applies one report in one transaction, together with recording its key, so reading it again
 * (or after a crash, reading it a second time) changes nothing and nothing is ever half applied.
 * Hard bounces and complaints stop the address at once; soft ones are recorded and stop it when
 * `softLimit` different deliveries soft-bounced within `softWindowDays` of this report.
 */
export function applyReport(store: Store, settings: BounceSettings, report: BounceReport): AppliedReport {
  return store.transaction((): AppliedReport => {
    const fresh = store.db
      .prepare('INSERT OR IGNORE INTO bounce_reports (report_key, kind, processed_at) VALUES (?, ?, ?)')
      .run(report.key, report.kind, store.now()).changes;
    if (fresh === 0) return { outcome: 'duplicate' };
    if (report.kind === 'ignored') return { outcome: 'ignored' };
    const target = locate(store, settings, report);
    if (!target) {
      store.db.prepare("UPDATE bounce_reports SET kind = 'unmatched' WHERE report_key = ?").run(report.key);
      return { outcome: 'unmatched' };
    }
    const at = report.date ?? store.now();
    store.db
      .prepare(
        `INSERT INTO bounce_events (report_key, email_hash, kind, status, campaign_id, position, occurred_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        report.key,
        store.hashEmail(target.key),
        report.kind,
        report.status ?? null,
        target.campaignId ?? null,
        target.position ?? null,
        at,
      );
    const issueId = target.campaignId === undefined ? undefined : markDelivery(store, report, target, at);
    const outcome = decide(store, settings, report, target.key, at);
    return issueId === undefined ? { outcome } : { outcome, issueId };
  });
}

interface Target {
  key: string;
  campaignId?: number;
  position?: number;
}

function decide(
  store: Store,
  settings: BounceSettings,
  report: BounceReport,
  key: string,
  at: string,
): ReportOutcome {
  if (report.kind === 'complaint') return (stopAddress(store, key, 'complained'), 'complaint');
  if (report.kind === 'hard') return (stopAddress(store, key, 'bounced'), 'hard');
  const since = new Date(Date.parse(at) - settings.softWindowDays * 86_400_000).toISOString();
  // Distinct deliveries: a relay's "still trying" notices about one message count once.
  const count = store.db
    .prepare<[string, string, string], number>(
      `SELECT count(DISTINCT coalesce(campaign_id || '/' || position, report_key)) FROM bounce_events
       WHERE email_hash = ? AND kind = 'soft' AND occurred_at > ? AND occurred_at <= ?`,
    )
    .pluck()
    .get(store.hashEmail(key), since, at)!;
  if (count < settings.softLimit) return 'soft';
  stopAddress(store, key, 'bounced');
  return 'soft-limit';
}

/**
 * Whom the report is about: the delivery its VERP address names (the surest clue: it survives
 * forwarding, redaction and truncated originals), else the recipient it names, with the campaign
 * from the original's Message-ID (`<c12-1a2b3c4d.…@…>`, message-id.ts) when it quotes one.
 */
function locate(store: Store, settings: BounceSettings, report: BounceReport): Target | undefined {
  if (settings.domain !== undefined) {
    const refOf = store.db
      .prepare<[number], string>("SELECT coalesce(ref, 'c' || id) FROM campaigns WHERE id = ?")
      .pluck();
    for (const { campaignId, position } of findVerpDeliveries(
      settings.secret,
      settings.domain,
      report.searchText,
      (id) => refOf.get(id),
    )) {
      const key = store.db
        .prepare<[number, number], string>(
          `SELECT coalesce((SELECT email_key FROM subscribers s WHERE s.id = d.subscriber_id), lower(d.email))
           FROM deliveries d WHERE campaign_id = ? AND position = ?`,
        )
        .pluck()
        .get(campaignId, position);
      if (key) return { key, campaignId, position };
    }
  }
  // Without a VERP match, only an address we know: a forwarding target or a redacted `To` is none.
  const key = report.recipients.find((candidate) => store.findSubscriber(candidate) !== undefined);
  if (key === undefined) return undefined;
  const ref = /^<?(c\d+(?:-[0-9a-f]+)?)\./.exec(report.originalMessageId ?? '')?.[1];
  const delivery =
    ref === undefined
      ? undefined
      : store.db
          .prepare<[string, string], { campaign_id: number; position: number }>(
            `SELECT d.campaign_id, d.position FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id
             WHERE coalesce(c.ref, 'c' || c.id) = ? AND lower(d.email) = ? LIMIT 1`,
          )
          .get(ref, key);
  return delivery ? { key, campaignId: delivery.campaign_id, position: delivery.position } : { key };
}

const PROVIDER_EVENT = { hard: 'bounced', soft: 'bounced_transient', complaint: 'complained' } as const;

/** Notes the report on the delivery row (as the Resend webhooks do) and returns its issue. */
function markDelivery(store: Store, report: BounceReport, target: Target, at: string): string | undefined {
  if (report.kind === 'ignored') return undefined;
  store.db
    .prepare(
      `UPDATE deliveries SET provider_event = ?, provider_event_at = ?
       WHERE campaign_id = ? AND position = ? AND (provider_event_at IS NULL OR provider_event_at <= ?)`,
    )
    .run(PROVIDER_EVENT[report.kind], at, target.campaignId, target.position, at);
  return store.db
    .prepare<[number], string>('SELECT issue_id FROM campaigns WHERE id = ?')
    .pluck()
    .get(target.campaignId!);
}
