import type { Command } from 'commander';

/** Declares `nyhetsbrev new`; src/cli/actions/new.ts runs it. */
export function registerNew(program: Command): void {
  program
    .command('new')
    .description("scaffold next month's issue (status: draft); never overwrites")
    .argument('[id]', 'issue id, YYYY-MM (default: the month after the newest issue)')
    .option('--issues <dir>', 'folder of issues', 'issues')
    .action(async (id: string | undefined, options: { issues: string }, command: Command) =>
      (await import('../actions/new.ts')).newIssue(id, options, command),
    );
}
