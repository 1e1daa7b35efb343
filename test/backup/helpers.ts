import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';

/** What a test reads from a database file: integrity, journal mode, mode bits and row dumps. */
export interface Contents {
  integrity: string;
  journalMode: string;
  mode: string;
  subscribers: string[];
  memberships: number;
  /** Positions of the deliveries with status `sent`. */
  sent: number[];
  deliveries: number;
}

/** Opens `file` read-only (as a restore or an auditor would) and reads {@link Contents}. */
export function contents(file: string): Contents {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const all = <T>(sql: string): T[] => db.prepare<[], T>(sql).pluck().all();
    return {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      journalMode: db.pragma('journal_mode', { simple: true }) as string,
      mode: (statSync(file).mode & 0o777).toString(8),
      subscribers: all<string>('SELECT email_key FROM subscribers ORDER BY email_key'),
      memberships: all<number>('SELECT count(*) FROM memberships')[0]!,
      sent: all<number>("SELECT position FROM deliveries WHERE status = 'sent' ORDER BY position"),
      deliveries: all<number>('SELECT count(*) FROM deliveries')[0]!,
    };
  } finally {
    db.close();
  }
}

/** Resolves once the child has written `marker` to stderr; rejects if it exits first. */
export function stderrMarker(child: ChildProcess, marker: string): Promise<void> {
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes(marker)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before ${marker}: ${stderr}`)));
  });
}
