import type { Store } from './store.ts';
import type { Recipient } from './types.ts';

/**
 * The audience of a send, as one SQL query: active members of the given lists (every list when `lists` is
 * undefined; nobody when it is empty), one per person however many of the lists they are in,
 * minus suppressed addresses (by status and by keyed hash), ordered by lowercase address so the
 * same database always gives the same order. One query, so that the sender can copy it
 * into its ledger inside SQLite (`INSERT … SELECT`, ledger.ts) and count it per list without
 * holding a JavaScript object per recipient — ~1 KB each at the peak, 100 MB at 100,000. List
 * ids are not checked here; check them with `requireLists` first.
 */
export interface AudienceQuery {
  /** `SELECT subscriberId, email, emailKey, name FROM …`, in send order. */
  sql: string;
  /** Its named parameters. */
  params: { lists: string | null };
}

/** How many the audience has, per chosen list, and how many suppressed addresses it left out. */
export interface AudienceCounts {
  recipients: number;
  suppressed: number;
  /** Recipients per list id; one person on two lists counts in both. Lists nobody is in are missing. */
  perList: Record<string, number>;
}

// Active members of the chosen lists (`@lists`: JSON array of ids, or null for every list).
const MEMBERS = `SELECT s.id AS subscriberId, s.email, s.email_key AS emailKey, s.name FROM subscribers s
  WHERE s.status = 'active' AND EXISTS (SELECT 1 FROM memberships m WHERE m.subscriber_id = s.id
    AND (@lists IS NULL OR m.list_id IN (SELECT value FROM json_each(@lists))))`;

/** The audience as one query over the store (see {@link AudienceQuery}). */
export function audienceQuery(store: Store, lists?: readonly string[]): AudienceQuery {
  return {
    sql: `${MEMBERS} AND NOT ${suppressed(store, 's.email_key')} ORDER BY s.email_key`,
    params: { lists: lists === undefined ? null : JSON.stringify(lists) },
  };
}

/** The recipients of a send, one object each, with the chosen lists they are in (sorted). */
export function audience(store: Store, lists?: readonly string[]): Recipient[] {
  const { sql, params } = audienceQuery(store, lists);
  const rows = store.db
    .prepare<[AudienceQuery['params']], Omit<Recipient, 'lists'> & { lists: string }>(
      `SELECT a.subscriberId, a.email, a.name,
         (SELECT json_group_array(m.list_id) FROM memberships m WHERE m.subscriber_id = a.subscriberId
            AND (@lists IS NULL OR m.list_id IN (SELECT value FROM json_each(@lists)))) AS lists
       FROM (${sql}) a`,
    )
    .all(params);
  return rows.map((row) => ({ ...row, lists: (JSON.parse(row.lists) as string[]).sort() }));
}

/** {@link AudienceCounts} of the audience {@link audience} gives, counted by SQLite. */
export function audienceCounts(store: Store, lists?: readonly string[]): AudienceCounts {
  const { sql, params } = audienceQuery(store, lists);
  const { members, suppressedCount } = store.db
    .prepare<[AudienceQuery['params']], { members: number; suppressedCount: number }>(
      `SELECT count(*) AS members, coalesce(sum(${suppressed(store, 'emailKey')}), 0) AS suppressedCount FROM (${MEMBERS})`,
    )
    .get(params)!;
  const perList = store.db
    .prepare<[AudienceQuery['params']], { list: string; n: number }>(
      `SELECT m.list_id AS list, count(*) AS n FROM (${sql}) a JOIN memberships m ON m.subscriber_id = a.subscriberId
       WHERE @lists IS NULL OR m.list_id IN (SELECT value FROM json_each(@lists)) GROUP BY m.list_id`,
    )
    .all(params);
  return {
    recipients: members - suppressedCount,
    suppressed: suppressedCount,
    perList: Object.fromEntries(perList.map(({ list, n }) => [list, n])),
  };
}

// The keyed hash of `suppressions.email_hash` (secret.ts), callable from SQL.
const HASH = 'nyhetsbrev_email_hash';

/** SQL that is 1 when the address key in `column` is suppressed; hashes nothing when none is. */
function suppressed(store: Store, column: string): string {
  if (!store.db.prepare('SELECT EXISTS (SELECT 1 FROM suppressions)').pluck().get()) return '0';
  // The first hash reads (or makes) the key with queries of its own, which SQLite cannot run
  // from inside the audience's query: make it now. It throws `SuppressionKeyChanged` here too.
  store.hashEmail('');
  store.db.function(HASH, { deterministic: true }, (key: unknown) => store.hashEmail(String(key)));
  return `EXISTS (SELECT 1 FROM suppressions x WHERE x.email_hash = ${HASH}(${column}))`;
}
