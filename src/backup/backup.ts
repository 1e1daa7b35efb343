import { existsSync, renameSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { copyDatabase, fsyncPath, removeDatabaseFiles, tempBeside } from './files.ts';
import { openExisting, verifyDatabase, type DatabaseSummary } from './inspect.ts';

/** Options of {@link backupDatabase}. */
export interface BackupOptions {
  /** Replace an existing FILE (never the database itself). */
  force?: boolean;
}

/** What {@link backupDatabase} wrote. */
export interface BackupResult {
  file: string;
  summary: DatabaseSummary;
}

/**
 * Copies the live database at `source` to `file` with SQLite's online backup API: a consistent
 * snapshot of every committed transaction, taken while `serve`, `send` or an import keep running.
 * The copy is written to a temp file (mode 0600) beside `file`, switched to a single self-contained
 * file (rollback journal, no -wal), integrity-checked, flushed, and renamed into place: `file`
 * is either the whole verified copy or untouched. Throws `BackupFailed`.
 */
export async function backupDatabase(
  source: string,
  file: string,
  options: BackupOptions = {},
): Promise<BackupResult> {
  const target = resolve(file);
  checkTarget(resolve(source), target, options);
  const db = openExisting(source, 'BackupFailed');
  const temp = tempBeside(target, 'backup');
  try {
    db.pragma('busy_timeout = 5000');
    // Only a cheap look at the live file; the full integrity check runs on the copy.
    verifyDatabase(db, source, 'BackupFailed', { integrity: false });
    await copyDatabase(db, temp);
    const summary = verifyCopy(temp, `the copy of ${source}`);
    renameSync(temp, target);
    fsyncPath(dirname(target));
    return { file: target, summary: { ...summary, bytes: statSync(target).size } };
  } catch (error) {
    removeDatabaseFiles(temp);
    if (error instanceof UserError) throw error;
    const reason = (error as Error).message;
    throw new UserError(E.BackupCopyFailed, { source, target: file, reason }, { cause: error });
  } finally {
    db.close();
  }
}

function checkTarget(source: string, target: string, options: BackupOptions): void {
  if (!existsSync(source)) {
    throw new UserError(E.BackupNoDatabase, { source });
  }
  if (!existsSync(target)) return;
  const same = statSync(target).ino === statSync(source).ino && statSync(target).dev === statSync(source).dev;
  if (same || [source, `${source}-wal`, `${source}-shm`].includes(target)) {
    throw new UserError(E.BackupIsDatabase, { target });
  }
  if (!options.force) {
    throw new UserError(E.BackupExists, { target });
  }
}

/** Runs the full check on the finished copy. */
function verifyCopy(temp: string, label: string): DatabaseSummary {
  const copy = openExisting(temp, 'BackupFailed', { readonly: true });
  try {
    return verifyDatabase(copy, label, 'BackupFailed');
  } finally {
    copy.close();
  }
}
