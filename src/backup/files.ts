import { closeSync, fsyncSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** Creates `path` as an empty file with mode 0600 (its folder 0700 when missing); fails if it exists. */
export function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'wx', 0o600));
}

/** Flushes a file's bytes, or a folder's entries (a rename in it), to the disk. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Removes a database file and its journals, ignoring any that are not there. */
export function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/** A temp name beside `path` (same folder, so a rename over `path` is atomic). */
export function tempBeside(path: string, purpose: string): string {
  return `${path}.${purpose}-${process.pid}-${Date.now().toString(36)}`;
}

/**
 * SQLite's backup API copies this many pages per step. All of them in one step: the step reads
 * one snapshot, so a write by `serve`, `send` or an import between steps cannot restart the copy
 * over and over; and in WAL mode that read blocks no writer.
 */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the database open as `db` into the new file `temp` (mode 0600) with SQLite's online
 * backup API — a consistent snapshot of every committed transaction — and makes the copy one
 * self-contained file (rollback journal, no -wal) flushed to the disk.
 */
export async function copyDatabase(db: Database.Database, temp: string): Promise<void> {
  createPrivateFile(temp);
  await db.backup(temp, { progress: () => ALL_PAGES });
  const copy = new Database(temp, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  fsyncPath(temp);
}
