import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { DATABASE_HINTS } from '../errors/audience.ts';
import { checkOwnership, createDatabase } from './database-file.ts';
import { migrate } from './migrations.ts';
import { createQueries, type Queries } from './queries.ts';
import { suppressionHasher } from '../secrets/suppression-key.ts';

/**
 * All access to the subscriber database. One implementation (SQLite, {@link openStore}); tests use
 * it on temp files. The methods are the audience stage's needs; the sender writes its own SQL on
 * `campaigns`, `deliveries` and `chunks` through {@link Store.db} (schema in migrations.ts).
 */
export interface Store extends Queries {
  /** The better-sqlite3 handle: WAL, foreign keys on, `busy_timeout` 5 s, synchronous FULL. */
  readonly db: Database.Database;
  /** Absolute path of the database file. */
  readonly path: string;
  /** The store's clock as an ISO 8601 UTC string (tests pass a fixed clock). */
  now(): string;
  /** Runs `fn` in one IMMEDIATE transaction (the write lock is taken up front); rolls back if it throws. */
  transaction<T>(fn: () => T): T;
  /** Keyed hash of a lowercase address key, as stored in `suppressions.email_hash` (secret.ts). */
  hashEmail(key: string): string;
  /**
   * Makes deleted data unrecoverable from the files: VACUUM rebuilds the database without freed
   * pages, then the WAL is checkpointed and truncated. `walCleared` is false when another process
   * held the database open, so old WAL frames may remain until it closes.
   */
  compact(): { walCleared: boolean };
  close(): void;
}

/** Options of {@link openStore}. */
export interface StoreOptions {
  /** Clock for timestamps; default the system clock. */
  now?: () => Date;
  /** Environment for `NYHETSBREV_SECRET`; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Opens (creating when missing, with mode 0600 and its folder) the SQLite database at `path` and
 * migrates it to the latest schema. Throws `DatabaseError`, leaving the file as it was, when it
 * cannot be opened or is not a nyhetsbrev database of a known schema (see database-file.ts).
 */
export function openStore(path: string, options: StoreOptions = {}): Store {
  const clock = options.now ?? (() => new Date());
  let db: Database.Database | undefined;
  try {
    if (existsSync(path)) checkOwnership(path);
    else createDatabase(path);
    db = new Database(path, { fileMustExist: true });
    // Concurrent `serve` and CLI runs wait for each other instead of failing at once.
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    // The sender writes state before each provider call; it must survive a power cut.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Deleted rows are overwritten with zeros, so erased addresses do not linger in free space.
    db.pragma('secure_delete = ON');
  } catch (error) {
    db?.close();
    throw databaseError(error, path);
  }
  try {
    migrate(db, path);
  } catch (error) {
    db.close();
    throw databaseError(error, path);
  }
  const hash = suppressionHasher(db, options.env);
  const now = (): string => clock().toISOString();
  return {
    db,
    path,
    now,
    transaction: (fn) => db.transaction(fn).immediate(),
    hashEmail: hash,
    ...createQueries(db, now, hash),
    compact() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.exec('VACUUM');
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number }[];
      return { walCleared: result !== undefined && result.busy === 0 && result.log <= 0 };
    },
    close: () => db.close(),
  };
}

/**
 * Turns an SQLite failure of the environment (busy, not a database, disk full, permissions) into
 * a `DatabaseError`; anything else (a bug, such as bad SQL) is returned unchanged.
 */
export function databaseError(error: unknown, path: string): unknown {
  if (error instanceof UserError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error;
  const family = Object.keys(DATABASE_HINTS).find((key) => code === key || code.startsWith(`${key}_`));
  const fsProblem = ['EACCES', 'EPERM', 'ENOTDIR', 'EROFS', 'ENOSPC'].includes(code);
  if (!family && !fsProblem && !code.startsWith('SQLITE_IOERR')) return error;
  return new UserError(
    E.DatabaseUnusable,
    { path, reason: (error as Error).message, family },
    { cause: error },
  );
}
