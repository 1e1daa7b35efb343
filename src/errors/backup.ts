import type { CatalogPart } from './names.ts';

const NOT_A_BACKUP = 'Check the file name; a nyhetsbrev backup is written by `nyhetsbrev backup FILE`.';

/** Errors of `backup` and `restore`. Those of checking a database file are raised as `RestoreRefused` or, by `backup`, as `BackupFailed`. */
export const BACKUP = {
  BackupNoDatabase: {
    name: 'BackupFailed',
    message: ({ source }: { source: string }) => `There is no database at ${source}.`,
    hint: 'Check `database` in the config given with --config.',
  },
  BackupIsDatabase: {
    name: 'BackupFailed',
    message: ({ target }: { target: string }) => `${target} is the live database itself.`,
    hint: 'Give a file outside the database folder, such as /var/backups/nyhetsbrev/2026-11-03.db.',
  },
  BackupExists: {
    name: 'BackupFailed',
    message: ({ target }: { target: string }) =>
      `${target} exists; a backup never overwrites a file unasked.`,
    hint: 'Give a new file name, or pass --force to replace that backup.',
  },
  BackupCopyFailed: {
    name: 'BackupFailed',
    message: ({ source, reason }: CopyArgs) => `The backup of ${source} failed: ${reason}`,
    hint: ({ target }: CopyArgs) =>
      `${target} was not written. Check the disk space and permissions of its folder, and run again.`,
  },
  RestoreNoBackup: {
    name: 'RestoreRefused',
    message: ({ source }: { source: string }) => `There is no backup at ${source}.`,
    hint: 'Give the file written by `nyhetsbrev backup FILE`.',
  },
  RestoreFromDatabase: {
    name: 'RestoreRefused',
    message: ({ source }: { source: string }) => `${source} is the database itself.`,
    hint: 'Give a backup file.',
  },
  RestoreJournalOnly: {
    name: 'RestoreRefused',
    message: ({ target }: { target: string }) =>
      `${target} is missing, but its journal ${target}-wal is there.`,
    hint: ({ target }: { target: string }) =>
      `A journal without its database cannot be used. Move ${target}-wal and ${target}-shm aside, and run restore again.`,
  },
  RestoreCopyFailed: {
    name: 'RestoreRefused',
    message: ({ source, reason }: CopyArgs) => `The restore from ${source} failed: ${reason}`,
    hint: ({ target }: CopyArgs) =>
      `${target} was not replaced. Check the disk space and permissions of its folder, and run again.`,
  },
  /** `issues` describes each issue with more emails in the current database than in the backup. */
  RestoreLosesSends: {
    name: 'RestoreRefused',
    message: ({ issues }: { issues: readonly string[] }) =>
      `The current database records emails the backup does not: ${issues.join(', ')}. After this restore, sending ${issues.length === 1 ? 'that issue' : 'those issues'} again would email those people twice. Nothing was changed.`,
    hint: 'Use a newer backup, or pass --force if those issues will not be sent again.',
  },
  RestoreDatabaseInUse: {
    name: 'RestoreRefused',
    message: ({ path }: { path: string }) => `The database ${path} is in use; nothing was changed.`,
    hint: 'Stop `nyhetsbrev serve` (and any send, import or backup running) and run restore again.',
  },
  RestoreCannotClaim: {
    name: 'RestoreRefused',
    message: ({ path, reason }: { path: string; reason: string }) =>
      `Cannot check that ${path} is unused: ${reason}.`,
    hint: ({ path }: { path: string; reason: string }) =>
      `Stop everything that uses it, move ${path} aside yourself, and run restore again.`,
  },
  DatabaseFileUnopenable: {
    name: 'RestoreRefused',
    message: ({ file, reason }: { file: string; reason: string }) => `Cannot open ${file}: ${reason}.`,
    hint: 'Check the path and that the file is readable.',
  },
  DatabaseFileNotSqlite: {
    name: 'RestoreRefused',
    message: ({ file, reason }: { file: string; reason: string }) =>
      `${file} is not a readable SQLite database: ${reason}.`,
    hint: NOT_A_BACKUP,
  },
  DatabaseFileNotOurs: {
    name: 'RestoreRefused',
    message: ({ file, schema, missing }: { file: string; schema: number; missing: readonly string[] }) =>
      `${file} is an SQLite database, but not one of nyhetsbrev's (schema version ${schema}, missing tables: ${missing.join(', ') || 'none'}).`,
    hint: NOT_A_BACKUP,
  },
  DatabaseFileTooNew: {
    name: 'RestoreRefused',
    message: ({ file, schema, known }: { file: string; schema: number; known: number }) =>
      `${file} has schema version ${schema}, newer than this nyhetsbrev knows (${known}).`,
    hint: 'Use the nyhetsbrev version that wrote it (or a newer one).',
  },
  DatabaseFileDamaged: {
    name: 'RestoreRefused',
    message: ({ file, problems }: { file: string; problems: readonly string[] }) =>
      `${file} fails SQLite's integrity check (${problems.length} problem(s), first: ${problems[0]}).`,
    hint: 'Use another backup. Keep this file for investigation; do not restore it.',
  },
} satisfies CatalogPart;

interface CopyArgs {
  source: string;
  target: string;
  reason: string;
}
