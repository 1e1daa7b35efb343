import type { QueryContext } from './query-context.ts';
import type { Suppression, SuppressionReason } from './types.ts';

/** Queries on the suppression list, which holds keyed hashes, never addresses. */
export interface SuppressionQueries {
  /** The suppression of this lowercase key, if any (looked up by its keyed hash). */
  suppression(key: string): Suppression | undefined;
  /** Suppresses the key. An existing entry keeps its reason, except that `forgotten` overrides. */
  suppress(key: string, reason: SuppressionReason): void;
  /**
   * Lifts the suppression of the key; true when there was one. Only for the person's own confirmed
   * request (double opt-in on the subscription page) — never for imports or the operator.
   */
  unsuppress(key: string): boolean;
  /** Number of suppression entries per reason. */
  suppressionCounts(): { reason: SuppressionReason; count: number }[];
}

/** Builds the {@link SuppressionQueries}. */
export function suppressionQueries({ db, prepare, now, hash }: QueryContext): SuppressionQueries {
  return {
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
    suppressionCounts: () =>
      db
        .prepare('SELECT reason, count(*) AS count FROM suppressions GROUP BY reason ORDER BY reason')
        .all() as ReturnType<SuppressionQueries['suppressionCounts']>,
  };
}
