import { SUBSCRIBER, type QueryContext } from './query-context.ts';
import type { Confirmation, DeliveryRow, Subscriber } from './types.ts';

/** A delivery with its campaign, for the right-of-access export. */
export type DeliveryExport = DeliveryRow & { issue_id: string; subject: string };

/** Queries for a person's data: their token key, the right of access and erasure. */
export interface PrivacyQueries {
  /** The random value in the subscriber's unsubscribe links (tokens.ts), if the subscriber exists. */
  tokenKey(subscriberId: number): string | undefined;
  /** The subscriber's double opt-in confirmations (from `serve`), oldest first. */
  confirmationsOf(subscriberId: number): Confirmation[];
  /** Deliveries to the subscriber id or to the address key, oldest campaign first. */
  deliveriesOf(subscriberId: number | undefined, key: string): DeliveryExport[];
  /**
   * Deletes the subscriber with this key and their memberships, and scrubs their deliveries:
   * email, name, subscriber id, provider id and error become NULL, queued ones become `skipped`.
   */
  erase(key: string): { subscriber: boolean; deliveries: number };
}

/** Builds the {@link PrivacyQueries}. */
export function privacyQueries({ db, prepare, now }: QueryContext): PrivacyQueries {
  const byKey = prepare<[string], Subscriber>(`SELECT ${SUBSCRIBER} FROM subscribers s WHERE email_key = ?`);
  const scrub = prepare(
    `UPDATE deliveries SET email = NULL, name = NULL, subscriber_id = NULL, provider_id = NULL, error = NULL,
       status = CASE status WHEN 'queued' THEN 'skipped' ELSE status END, updated_at = ?
     WHERE subscriber_id = ? OR lower(email) = ?`,
  );
  return {
    tokenKey: (id) =>
      prepare<[number], string>('SELECT token_key FROM subscribers WHERE id = ?').pluck().get(id),
    confirmationsOf(id) {
      const rows = prepare<[number], Omit<Confirmation, 'lists'> & { lists: string }>(
        `SELECT name, lists, consent_text_version AS consentTextVersion, created_at AS createdAt,
           expires_at AS expiresAt, used_at AS usedAt FROM confirmations WHERE subscriber_id = ? ORDER BY created_at`,
      ).all(id);
      return rows.map((row) => ({ ...row, lists: JSON.parse(row.lists) as string[] }));
    },
    deliveriesOf: (subscriberId, key) =>
      db
        .prepare<[number | null, string], DeliveryExport>(
          `SELECT d.*, c.issue_id, c.subject FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id
           WHERE d.subscriber_id = ? OR lower(d.email) = ? ORDER BY c.created_at, d.campaign_id, d.position`,
        )
        .all(subscriberId ?? null, key),
    erase(key) {
      const subscriber = byKey.get(key);
      const deliveries = scrub.run(now(), subscriber?.id ?? null, key).changes;
      if (subscriber) prepare('DELETE FROM subscribers WHERE id = ?').run(subscriber.id);
      return { subscriber: subscriber !== undefined, deliveries };
    },
  };
}
