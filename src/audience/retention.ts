import type { Config } from '../config/schema.ts';
import type { Store } from './store.ts';

/** What {@link purgeRetained} deleted, and the cut-off it used. */
export interface RetentionPurge {
  /** Rows older than this (ISO 8601) were deleted. */
  before: string;
  deliveries: number;
  webhookEvents: number;
  bounceReports: number;
}

const DAY_MS = 86_400_000;

/**
 * Deletes what the retention period (`retention.months`, default 24) no longer lets us keep
 * (GDPR Art. 5(1)(e), storage limitation): delivery rows last changed before the cut-off — who got
 * which issue, and what the provider said of it — provider webhook events received before it, and
 * bounce and complaint reports read before it. Campaign rows stay: they hold no personal data and
 * keep an issue from ever being sent as a new campaign. Suppressions stay: they exist so that an
 * address is never contacted again. Bounce records young enough to count towards the soft-bounce
 * limit are kept even past a shorter retention. One transaction.
 */
export function purgeRetained(
  store: Store,
  config: Pick<Config, 'retention' | 'bounces'>,
  now: Date,
): RetentionPurge {
  const cut = new Date(now);
  cut.setUTCMonth(cut.getUTCMonth() - config.retention.months);
  const before = cut.toISOString();
  const window = new Date(now.getTime() - config.bounces.softWindowDays * DAY_MS).toISOString();
  const bounceBefore = window < before ? window : before;
  return store.transaction(() => {
    const run = (sql: string, at: string) => store.db.prepare(sql).run(at).changes;
    return {
      before,
      deliveries: run('DELETE FROM deliveries WHERE updated_at < ?', before),
      webhookEvents: run('DELETE FROM webhook_messages WHERE received_at < ?', before),
      // Their events go with them (ON DELETE CASCADE).
      bounceReports: run('DELETE FROM bounce_reports WHERE processed_at < ?', bounceBefore),
    };
  });
}
