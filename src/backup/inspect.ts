import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../audience/migrations.ts';
import { UserError, type ErrorName } from '../errors.ts';
import { E } from '../errors/catalog.ts';

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
 * the schema version is known and the tables are there. Throws a `UserError` named `name`
 * (the catalog's entries of a database file are `RestoreRefused`; `backup` raises them as `BackupFailed`).
 */
export function verifyDatabase(
  db: Database.Database,
  file: string,
  name: ErrorName,
  { integrity = true } = {},
): DatabaseSummary {
  let schema: number;
  let tables: string[];
  try {
    schema = db.pragma('user_version', { simple: true }) as number;
    tables = db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
  } catch (error) {
    const reason = (error as Error).message;
    throw new UserError({ ...E.DatabaseFileNotSqlite, name }, { file, reason }, { cause: error });
  }
  const missing = TABLES.filter((table) => !tables.includes(table));
  if (schema < 1 || missing.length > 0) {
    throw new UserError({ ...E.DatabaseFileNotOurs, name }, { file, schema, missing });
  }
  if (schema > MIGRATIONS.length) {
    throw new UserError({ ...E.DatabaseFileTooNew, name }, { file, schema, known: MIGRATIONS.length });
  }
  if (integrity) {
    const problems = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    const found = problems.map((row) => row.integrity_check).filter((text) => text !== 'ok');
    if (found.length > 0) {
      throw new UserError({ ...E.DatabaseFileDamaged, name }, { file, problems: found });
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
    const reason = (error as Error).message;
    throw new UserError({ ...E.DatabaseFileUnopenable, name }, { file, reason }, { cause: error });
  }
}
