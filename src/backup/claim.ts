import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { openExisting } from './inspect.ts';

/**
 * Makes sure no process has the database at `path` open, and keeps it that way: returns a
 * connection holding SQLite's exclusive lock until it is closed. Throws `RestoreRefused` while
 * `serve`, a `send`, an import — any connection, in any process or container on this host — has
 * the file open.
 *
 * Why this test: nyhetsbrev keeps the database in WAL mode, and an idle `serve` holds no lock a
 * `BEGIN EXCLUSIVE` would notice (WAL readers and writers do not block each other), and a pid file
 * cannot see across containers. Every WAL connection does hold a shared lock on the `-shm` file,
 * though, and SQLite leaves WAL mode only when it can take that lock exclusively: so switching the
 * file to `journal_mode = DELETE` succeeds exactly when no other connection exists. It also
 * checkpoints the WAL into the file and removes `-wal` and `-shm`, so nothing of the old
 * database's journal could be applied to the restored one. A crashed process's locks are gone
 * with it, so a crash never blocks a restore.
 */
export function claimUnused(path: string): Database.Database {
  const db = openExisting(path, 'RestoreRefused');
  try {
    db.pragma('busy_timeout = 0');
    const mode = db.pragma('journal_mode = DELETE', { simple: true }) as string;
    // Holds the file's lock from here on: a process starting now waits, then fails (busy_timeout).
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    if (mode !== 'delete' || existsSync(`${path}-wal`))
      throw Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' });
    return db;
  } catch (error) {
    db.close();
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) {
      throw new UserError(E.RestoreDatabaseInUse, { path }, { cause: error });
    }
    throw new UserError(E.RestoreCannotClaim, { path, reason: (error as Error).message }, { cause: error });
  }
}
