import { existsSync, linkSync, renameSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { claimUnused } from './claim.ts';
import { copyDatabase, fsyncPath, removeDatabaseFiles, tempBeside } from './files.ts';
import { openExisting, verifyDatabase, type DatabaseSummary } from './inspect.ts';
import { lostSends } from './sends.ts';

/** Options of {@link restoreDatabase}. */
export interface RestoreOptions {
  /** Restore even though the current database records sends the backup lacks. */
  force?: boolean;
  /** Names the side copy (`<database>.before-restore-<time>`); default the system clock. */
  now?: () => Date;
}

/** What {@link restoreDatabase} did. */
export interface RestoreResult {
  database: string;
  /** Where the replaced database now is, when there was one. */
  sideCopy: string | undefined;
  summary: DatabaseSummary;
  /** Why sends were not compared, when they could not be (an unreadable current database). */
  warning: string | undefined;
}

/**
 * Replaces the database at `database` with the backup `file`. Refuses (`RestoreRefused`, nothing
 * changed) when the backup is not a sound nyhetsbrev database this version can use, when any
 * process has the current database open (see claim.ts), and — unless `force` — when the current
 * database records sent emails the backup lacks. The copy is made and flushed beside the database
 * first; the current file is kept as a side copy (a hard link) and the copy renamed over it, so
 * the database path always names a whole database.
 */
export async function restoreDatabase(
  database: string,
  file: string,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  const target = resolve(database);
  const source = resolve(file);
  refuseSource(source, target);
  const backup = openExisting(source, 'RestoreRefused', { readonly: true });
  const temp = tempBeside(target, 'restore');
  let current: Database.Database | undefined;
  try {
    const summary = verifyDatabase(backup, source, 'RestoreRefused');
    await copyDatabase(backup, temp);
    let sideCopy: string | undefined;
    let warning: string | undefined;
    if (existsSync(target)) {
      current = claimUnused(target);
      warning = checkSends(current, backup, options.force ?? false);
      sideCopy = `${target}.before-restore-${stamp(options.now?.() ?? new Date())}`;
      linkSync(target, sideCopy);
    } else if (existsSync(`${target}-wal`)) {
      throw new UserError(E.RestoreJournalOnly, { target });
    }
    renameSync(temp, target);
    fsyncPath(dirname(target));
    return { database: target, sideCopy, summary, warning };
  } catch (error) {
    removeDatabaseFiles(temp);
    if (error instanceof UserError) throw error;
    const reason = (error as Error).message;
    throw new UserError(E.RestoreCopyFailed, { source, target, reason }, { cause: error });
  } finally {
    // Released only now: the lock kept new connections off the old file until the rename.
    current?.close();
    backup.close();
  }
}

/** Refuses a backup file that is missing (`RestoreNoBackup`) or is the database itself. */
function refuseSource(source: string, target: string): void {
  if (!existsSync(source)) {
    throw new UserError(E.RestoreNoBackup, { source });
  }
  if (existsSync(target) && statSync(target).ino === statSync(source).ino) {
    throw new UserError(E.RestoreFromDatabase, { source });
  }
}

function checkSends(
  current: Database.Database,
  backup: Database.Database,
  force: boolean,
): string | undefined {
  let lost;
  try {
    lost = lostSends(current, backup);
  } catch (error) {
    return `The current database could not be read to compare sends (${(error as Error).message}).`;
  }
  if (lost.length === 0 || force) return undefined;
  const issues = lost.map((send) => `${send.issueId} (${send.now} sent now, ${send.inBackup} in the backup)`);
  throw new UserError(E.RestoreLosesSends, { issues });
}

/** `2026-11-03T081500Z`: sorts by time and is a valid file name everywhere. */
function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '');
}
