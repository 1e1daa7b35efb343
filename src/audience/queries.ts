import type Database from 'better-sqlite3';
import type {
  Confirmation,
  DeliveryRow,
  Membership,
  NewSubscriber,
  Subscriber,
  SubscriberPatch,
  SubscriberStatus,
  SubscriberWithLists,
  Suppression,
  SuppressionReason,
} from './types.ts';

/** A recipient candidate before the suppression-hash check: {@link Recipient} plus its key. */
export interface ActiveMember {
  subscriberId: number;
  email: string;
  emailKey: string;
  name: string | null;
  lists: string[];
}

/** A delivery with its campaign, for the right-of-access export. */
export type DeliveryExport = DeliveryRow & { issue_id: string; subject: string };

/** The audience stage's queries on the subscriber tables (part of the {@link Store} interface). */
export interface Queries {
  /** The subscriber with this lowercase key, if any. */
  findSubscriber(key: string): Subscriber | undefined;
  /** The subscriber with this id, if any. */
  findSubscriberById(id: number): Subscriber | undefined;
  insertSubscriber(input: NewSubscriber): Subscriber;
  /** Changes the given fields and `updated_at`; becoming `active` stamps `consent_at`. */
  updateSubscriber(id: number, patch: SubscriberPatch): void;
  memberships(subscriberId: number): Membership[];
  /** Adds a membership; false when it already existed. */
  addMembership(subscriberId: number, listId: string, source: string): boolean;
  /** Removes a membership; false when there was none. */
  removeMembership(subscriberId: number, listId: string): boolean;
  /** The suppression of this lowercase key, if any (looked up by its keyed hash). */
  suppression(key: string): Suppression | undefined;
  /** Suppresses the key. An existing entry keeps its reason, except that `forgotten` overrides. */
  suppress(key: string, reason: SuppressionReason): void;
  /**
   * Lifts the suppression of the key; true when there was one. Only for the person's own confirmed
   * request (double opt-in on the subscription page) — never for imports or the operator.
   */
  unsuppress(key: string): boolean;
  /** Subscribers by lowercase key, optionally of one list and/or status. */
  listSubscribers(filter?: {
    list?: string | undefined;
    status?: SubscriberStatus | undefined;
  }): SubscriberWithLists[];
  /**
   * Subscriber counts per (list, status). List `''`: subscribers without a list; list `'*'`: every
   * subscriber once, whatever their lists.
   */
  counts(): { listId: string; status: SubscriberStatus; count: number }[];
  /** Number of suppression entries per reason. */
  suppressionCounts(): { reason: SuppressionReason; count: number }[];
  /** Active members of the lists (all when undefined), by key, without the suppression check. */
  activeMembers(lists?: readonly string[]): ActiveMember[];
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

const SUBSCRIBER = `s.id, s.email, s.email_key AS emailKey, s.name, s.status, s.consent_at AS consentAt,
  s.consent_source AS consentSource, s.consent_text_version AS consentTextVersion,
  s.created_at AS createdAt, s.updated_at AS updatedAt`;

/** Builds the {@link Queries} over an open, migrated database. */
export function createQueries(
  db: Database.Database,
  now: () => string,
  hash: (key: string) => string,
): Queries {
  // Statements are compiled once per SQL text: an import runs the same few for every row.
  const statements = new Map<string, Database.Statement>();
  const prepare = ((sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  }) as Database.Database['prepare'];
  const byKey = prepare<[string], Subscriber>(`SELECT ${SUBSCRIBER} FROM subscribers s WHERE email_key = ?`);
  const insert = prepare(
    `INSERT INTO subscribers (email, email_key, name, status, consent_at, consent_source, consent_text_version, created_at, updated_at)
     VALUES (@email, @emailKey, @name, @status, @consentAt, @consentSource, @consentTextVersion, @now, @now)`,
  );
  const listsOf = `(SELECT json_group_array(list_id) FROM (SELECT list_id FROM memberships WHERE subscriber_id = s.id ORDER BY list_id))`;
  const scrub = prepare(
    `UPDATE deliveries SET email = NULL, name = NULL, subscriber_id = NULL, provider_id = NULL, error = NULL,
       status = CASE status WHEN 'queued' THEN 'skipped' ELSE status END, updated_at = ?
     WHERE subscriber_id = ? OR lower(email) = ?`,
  );
  return {
    findSubscriber: (key) => byKey.get(key),
    findSubscriberById: (id) =>
      prepare<[number], Subscriber>(`SELECT ${SUBSCRIBER} FROM subscribers s WHERE id = ?`).get(id),
    insertSubscriber(input) {
      const consentAt = input.status === 'active' ? now() : null;
      insert.run({ ...input, consentAt, consentTextVersion: input.consentTextVersion ?? null, now: now() });
      return byKey.get(input.emailKey)!;
    },
    updateSubscriber(id, patch) {
      const sets: string[] = ['updated_at = @now'];
      const values: Record<string, unknown> = { id, now: now() };
      const column = {
        name: 'name',
        status: 'status',
        consentSource: 'consent_source',
        consentTextVersion: 'consent_text_version',
      } as const;
      for (const [field, name] of Object.entries(column)) {
        const value = patch[field as keyof SubscriberPatch];
        if (value === undefined) continue;
        sets.push(`${name} = @${field}`);
        values[field] = value;
      }
      if (patch.status === 'active') sets.push('consent_at = @now');
      prepare(`UPDATE subscribers SET ${sets.join(', ')} WHERE id = @id`).run(values);
    },
    memberships: (id) =>
      prepare<[number], Membership>(
        'SELECT list_id AS listId, source, created_at AS createdAt FROM memberships WHERE subscriber_id = ? ORDER BY list_id',
      ).all(id),
    addMembership: (id, listId, source) =>
      prepare(
        'INSERT OR IGNORE INTO memberships (subscriber_id, list_id, source, created_at) VALUES (?, ?, ?, ?)',
      ).run(id, listId, source, now()).changes === 1,
    removeMembership: (id, listId) =>
      prepare('DELETE FROM memberships WHERE subscriber_id = ? AND list_id = ?').run(id, listId).changes ===
      1,
    suppression: (key) =>
      prepare<[string], Suppression>(
        'SELECT reason, created_at AS createdAt FROM suppressions WHERE email_hash = ?',
      ).get(hash(key)),
    suppress(key, reason) {
      prepare(
        `INSERT INTO suppressions (email_hash, reason, created_at) VALUES (?, ?, ?)
         ON CONFLICT (email_hash) DO UPDATE SET reason = excluded.reason WHERE excluded.reason = 'forgotten'`,
      ).run(hash(key), reason, now());
    },
    unsuppress: (key) =>
      prepare('DELETE FROM suppressions WHERE email_hash = ?').run(hash(key)).changes === 1,
    listSubscribers(filter = {}) {
      const rows = db
        .prepare<[{ list: string | null; status: string | null }], Subscriber & { lists: string }>(
          `SELECT ${SUBSCRIBER}, ${listsOf} AS lists FROM subscribers s
           WHERE (@list IS NULL OR EXISTS (SELECT 1 FROM memberships m WHERE m.subscriber_id = s.id AND m.list_id = @list))
             AND (@status IS NULL OR s.status = @status)
           ORDER BY s.email_key`,
        )
        .all({ list: filter.list ?? null, status: filter.status ?? null });
      return rows.map((row) => ({ ...row, lists: JSON.parse(row.lists) as string[] }));
    },
    counts: () =>
      db
        .prepare(
          `SELECT coalesce(m.list_id, '') AS listId, s.status, count(*) AS count
           FROM subscribers s LEFT JOIN memberships m ON m.subscriber_id = s.id GROUP BY 1, 2
           UNION ALL SELECT '*', status, count(*) FROM subscribers GROUP BY 2
           ORDER BY 1, 2`,
        )
        .all() as ReturnType<Queries['counts']>,
    suppressionCounts: () =>
      db
        .prepare('SELECT reason, count(*) AS count FROM suppressions GROUP BY reason ORDER BY reason')
        .all() as ReturnType<Queries['suppressionCounts']>,
    activeMembers(lists) {
      const rows = db
        .prepare<[{ lists: string | null }], Omit<ActiveMember, 'lists'> & { lists: string }>(
          `SELECT s.id AS subscriberId, s.email, s.email_key AS emailKey, s.name, json_group_array(m.list_id) AS lists
           FROM subscribers s JOIN memberships m ON m.subscriber_id = s.id
           WHERE s.status = 'active' AND (@lists IS NULL OR m.list_id IN (SELECT value FROM json_each(@lists)))
           GROUP BY s.id ORDER BY s.email_key`,
        )
        .all({ lists: lists === undefined ? null : JSON.stringify(lists) });
      // In place: a second object per member would double the peak at 100,000 members.
      const members = rows as unknown as ActiveMember[];
      for (const row of rows)
        (row as unknown as ActiveMember).lists = (JSON.parse(row.lists) as string[]).sort();
      return members;
    },
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
