import type { Command } from 'commander';
import { MIGRATIONS } from '../../audience/migrations.ts';
import { backupDatabase, describeSummary, restoreDatabase } from '../../backup/index.ts';
import { configOf } from '../context.ts';

/** `nyhetsbrev backup FILE`: a consistent copy of the live database. */
export async function backup(file: string, flags: { force: boolean }, command: Command): Promise<void> {
  const config = configOf(command);
  const result = await backupDatabase(config.database, file, { force: flags.force });
  process.stdout.write(
    `Backed up ${config.database} to ${result.file} (${describeSummary(result.summary)}); integrity check ok.\n`,
  );
}

/** `nyhetsbrev restore FILE`: replaces the database with a checked backup. */
export async function restore(file: string, flags: { force: boolean }, command: Command): Promise<void> {
  const config = configOf(command);
  const result = await restoreDatabase(config.database, file, { force: flags.force });
  const lines = [`Restored ${result.database} from ${file} (${describeSummary(result.summary)}).`];
  if (result.summary.schema < MIGRATIONS.length)
    lines.push(`Its schema is migrated to version ${MIGRATIONS.length} on first use.`);
  if (result.sideCopy) lines.push(`The database it replaced is kept as ${result.sideCopy}.`);
  if (result.warning) lines.push(`warning: ${result.warning}`);
  lines.push('Start `nyhetsbrev serve` again.');
  process.stdout.write(`${lines.join('\n')}\n`);
}
