import type Database from 'better-sqlite3';

/** An issue whose emails the current database records and the backup does not. */
export interface LostSend {
  issueId: string;
  /** Deliveries handed to a transport, in the current database. */
  now: number;
  /** The same, in the backup. */
  inBackup: number;
}

// Handed to the transport: `sending` and `uncertain` may have gone out too.
const OUT = `SELECT c.issue_id AS issueId, count(*) AS n FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id
  WHERE d.status IN ('sending', 'sent', 'uncertain') GROUP BY c.issue_id`;

/**
 * The issues for which `current` records more sent emails than `backup`: after restoring the
 * backup, `send` of such an issue would email those people again. Throws when `current` cannot be
 * read (the caller decides what that means).
 */
export function lostSends(current: Database.Database, backup: Database.Database): LostSend[] {
  const counts = (db: Database.Database): Map<string, number> =>
    new Map(
      db
        .prepare<[], { issueId: string; n: number }>(OUT)
        .all()
        .map((row) => [row.issueId, row.n]),
    );
  const before = counts(backup);
  return [...counts(current)]
    .map(([issueId, now]) => ({ issueId, now, inBackup: before.get(issueId) ?? 0 }))
    .filter((send) => send.now > send.inBackup);
}
