import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../audience/migrations.ts';
import { UserError, type ErrorName } from '../errors.ts';

/** What a verified database holds, in figures that are not personal data. */
export interface DatabaseSummary {
  /** `PRAGMA user_version`: the number of migrations applied. */
  schema: number;
  subscribers: number;
  campaigns: number;
  bytes: number;
}

/** The tables of the first migration: a file without them is not a nyhetsbrev database. */
const TABLES = ['meta', 'subscribers', 'memberships', 'suppressions', 'campaigns', 'deliveries', 'chunks'];

/**
 * Checks that `db` (messages call it `file`) is a sound nyhetsbrev database this version can use: the
 * integrity check passes (unless `integrity: false`, for a large live file whose copy gets it),
 * the schema version is known and the tables are there. Throws a `UserError` named `name`.
 */
export function verifyDatabase(
  db: Database.Database,
  file: string,
  name: ErrorName,
  { integrity = true } = {},
): DatabaseSummary {
  const refuse = (message: string, hint: string): UserError => new UserError(name, message, { hint });
  let schema: number;
  let tables: string[];
  try {
    schema = db.pragma('user_version', { simple: true }) as number;
    tables = db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
  } catch (error) {
    throw new UserError(name, `${file} is not a readable SQLite database: ${(error as Error).message}.`, {
      cause: error,
      hint: 'Check the file name; a nyhetsbrev backup is written by `nyhetsbrev backup FILE`.',
    });
  }
  const missing = TABLES.filter((table) => !tables.includes(table));
  if (schema < 1 || missing.length > 0) {
    throw refuse(
      `${file} is an SQLite database, but not one of nyhetsbrev's (schema version ${schema}, missing tables: ${missing.join(', ') || 'none'}).`,
      'Check the file name; a nyhetsbrev backup is written by `nyhetsbrev backup FILE`.',
    );
  }
  if (schema > MIGRATIONS.length) {
    throw refuse(
      `${file} has schema version ${schema}, newer than this nyhetsbrev knows (${MIGRATIONS.length}).`,
      'Use the nyhetsbrev version that wrote it (or a newer one).',
    );
  }
  if (integrity) {
    const problems = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    const found = problems.map((row) => row.integrity_check).filter((text) => text !== 'ok');
    if (found.length > 0) {
      throw refuse(
        `${file} fails SQLite's integrity check (${found.length} problem(s), first: ${found[0]}).`,
        'Use another backup. Keep this file for investigation; do not restore it.',
      );
    }
  }
  const count = (table: string): number =>
    db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get() ?? 0;
  return {
    schema,
    subscribers: count('subscribers'),
    campaigns: count('campaigns'),
    bytes: statSync(db.name).size,
  };
}

/** "schema 3, 1234 subscribers, 2 campaigns, 1.2 MB" */
export function describeSummary(summary: DatabaseSummary): string {
  const mb = (summary.bytes / 1_000_000).toFixed(1);
  return `schema ${summary.schema}, ${summary.subscribers} subscribers, ${summary.campaigns} campaigns, ${mb} MB`;
}

/** Opens an existing database file; failing that, throws a `UserError` named `name`. */
export function openExisting(
  file: string,
  name: ErrorName,
  options: Database.Options = {},
): Database.Database {
  try {
    return new Database(file, { fileMustExist: true, ...options });
  } catch (error) {
    throw new UserError(name, `Cannot open ${file}: ${(error as Error).message}.`, {
      cause: error,
      hint: 'Check the path and that the file is readable.',
    });
  }
}
