import type { Command } from 'commander';
import { MIGRATIONS } from '../../audience/migrations.ts';
import { configOf } from '../context.ts';

/** Registers `nyhetsbrev backup FILE` and `nyhetsbrev restore FILE`. */
export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('copy the live database to FILE (consistent while serve and send run; mode 0600)')
    .argument('<file>', 'the backup file to write')
    .option('--force', 'replace FILE when it exists', false)
    .action(async (file: string, flags: { force: boolean }, command: Command) => {
      const config = configOf(command);
      // Loaded on use, like every database command: --help stays fast.
      const { backupDatabase, describeSummary } = await import('../../backup/index.ts');
      const result = await backupDatabase(config.database, file, { force: flags.force });
      process.stdout.write(
        `Backed up ${config.database} to ${result.file} (${describeSummary(result.summary)}); integrity check ok.\n`,
      );
    });
  program
    .command('restore')
    .description('replace the database with a backup (refused while serve, a send or an import use it)')
    .argument('<file>', 'a file written by `nyhetsbrev backup`')
    .option('--force', 'restore even if the current database records sends the backup lacks', false)
    .action(async (file: string, flags: { force: boolean }, command: Command) => {
      const config = configOf(command);
      const { restoreDatabase, describeSummary } = await import('../../backup/index.ts');
      const result = await restoreDatabase(config.database, file, { force: flags.force });
      const lines = [`Restored ${result.database} from ${file} (${describeSummary(result.summary)}).`];
      if (result.summary.schema < MIGRATIONS.length)
        lines.push(`Its schema is migrated to version ${MIGRATIONS.length} on first use.`);
      if (result.sideCopy) lines.push(`The database it replaced is kept as ${result.sideCopy}.`);
      if (result.warning) lines.push(`warning: ${result.warning}`);
      lines.push('Start `nyhetsbrev serve` again.');
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
