import type { Command } from 'commander';

type Flags = { force: boolean };

/** Declares `nyhetsbrev backup FILE` and `nyhetsbrev restore FILE`; src/cli/actions/backup.ts runs them. */
export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('copy the live database to FILE (consistent while serve and send run; mode 0600)')
    .argument('<file>', 'the backup file to write')
    .option('--force', 'replace FILE when it exists', false)
    .action(async (file: string, flags: Flags, command: Command) =>
      (await import('../actions/backup.ts')).backup(file, flags, command),
    );
  program
    .command('restore')
    .description('replace the database with a backup (refused while serve, a send or an import use it)')
    .argument('<file>', 'a file written by `nyhetsbrev backup`')
    .option('--force', 'restore even if the current database records sends the backup lacks', false)
    .action(async (file: string, flags: Flags, command: Command) =>
      (await import('../actions/backup.ts')).restore(file, flags, command),
    );
}
