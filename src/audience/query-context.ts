import type Database from 'better-sqlite3';

/** What every group of {@link Queries} is built over. */
export interface QueryContext {
  db: Database.Database;
  /** `db.prepare`, compiled once per SQL text: an import runs the same few for every row. */
  prepare: Database.Database['prepare'];
  /** The current time as ISO text. */
  now: () => string;
  /** The keyed hash of a lowercase address key (suppressions). */
  hash: (key: string) => string;
}

/** A subscriber row's columns, as the {@link Subscriber} fields (table alias `s`). */
export const SUBSCRIBER = `s.id, s.email, s.email_key AS emailKey, s.name, s.status, s.consent_at AS consentAt,
  s.consent_source AS consentSource, s.consent_text_version AS consentTextVersion,
  s.created_at AS createdAt, s.updated_at AS updatedAt`;

/** The context over an open, migrated database, with its statement cache. */
export function queryContext(
  db: Database.Database,
  now: () => string,
  hash: (key: string) => string,
): QueryContext {
  const statements = new Map<string, Database.Statement>();
  const prepare = ((sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  }) as Database.Database['prepare'];
  return { db, prepare, now, hash };
}
