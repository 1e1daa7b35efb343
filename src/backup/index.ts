/**
 * Backups of the live subscriber database and restoring them. Entry points: {@link backupDatabase}
 * (SQLite's online backup API, safe while `serve` and `send` run) and {@link restoreDatabase}
 * (refuses while the database is in use).
 */
export { backupDatabase, type BackupOptions, type BackupResult } from './backup.ts';
export { describeSummary, type DatabaseSummary } from './inspect.ts';
export { restoreDatabase, type RestoreOptions, type RestoreResult } from './restore.ts';
