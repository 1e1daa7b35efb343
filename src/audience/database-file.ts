import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { APPLICATION_ID, MIGRATIONS, migrate } from './migrations.ts';

/** Tables every nyhetsbrev database has had since its first schema version. */
const OUR_TABLES = [
  'meta',
  'subscribers',
  'memberships',
  'suppressions',
  'campaigns',
  'deliveries',
  'chunks',
];

/**
 * Creates a new, migrated database at `path` (and its folder, mode 0700) that did not exist. It is
 * built under a temporary name (mode 0600: personal data; SQLite gives -wal and -shm the same
 * mode) and linked into place only when complete, so `path` never holds a half-made or empty file
 * — an empty file there is refused, never filled in (see {@link checkOwnership}). When another
 * process creates `path` first, theirs is kept. Throws `DatabaseError` when a part of the folder
 * path is a file.
 */
export function createDatabase(path: string): void {
  makeFolder(path);
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.new`;
  try {
    closeSync(openSync(temp, 'wx', 0o600));
    const db = new Database(temp);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      migrate(db, temp);
    } finally {
      db.close(); // checkpoints and removes the temporary WAL
    }
    linkInPlace(temp, path);
  } finally {
    for (const file of [temp, `${temp}-wal`, `${temp}-shm`]) rmSync(file, { force: true });
  }
}

function makeFolder(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    throw new UserError(E.DatabaseFolderIsFile, { path, folder: dirname(path) }, { cause: error });
  }
}

function linkInPlace(temp: string, path: string): void {
  try {
    linkSync(temp, path); // fails with EEXIST instead of replacing a database made meanwhile
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    // File systems without hard links: a rename, which only a simultaneous first run could race.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') renameSync(temp, path);
    else throw error;
  }
}

/**
 * Refuses, before anything is written, a file at `database:` that is not a nyhetsbrev database of
 * a schema this release knows: another application's (its `application_id`, or tables that are
 * not ours), one written by a newer nyhetsbrev, an empty file or an SQLite database without tables
 * (a truncated copy must not quietly become a new, empty subscriber list). Reads only, on its own
 * connection; a file that is not SQLite at all fails with SQLITE_NOTADB. Throws `DatabaseError`.
 */
export function checkOwnership(path: string): void {
  // The last connection to close folds a WAL into the file; with a WAL left by a crash, only a
  // read-only one leaves the file as it is. Without one, read-only would leave -wal and -shm behind.
  const readonly = fileSize(`${path}-wal`) > 0;
  const db = new Database(path, { readonly, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    inspect(db, path);
  } finally {
    db.close();
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function inspect(db: Database.Database, path: string): void {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = db
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all();
  if (applicationId !== 0 && applicationId !== APPLICATION_ID) {
    throw new UserError(E.DatabaseOfOtherApp, { path, id: applicationId });
  }
  const ours = applicationId === APPLICATION_ID || OUR_TABLES.every((table) => tables.includes(table));
  if (version > MIGRATIONS.length && (ours || tables.length === 0)) {
    throw new UserError(E.DatabaseTooNew, { path, version, known: MIGRATIONS.length });
  }
  if (applicationId === APPLICATION_ID) return;
  if (tables.length === 0 && version === 0) {
    const what = statSync(path).size === 0 ? 'an empty file (0 bytes)' : 'an SQLite database without tables';
    throw new UserError(E.DatabaseEmpty, { path, what });
  }
  if (version >= 1 && ours) return;
  const shown = tables.slice(0, 6).join(', ') + (tables.length > 6 ? ', …' : '');
  throw new UserError(E.DatabaseNotOurs, { path, tables: shown });
}
