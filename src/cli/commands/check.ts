import type { Command } from 'commander';
import type { CheckOptions } from '../actions/check-report.ts';
import { addLazyHelpText } from '../lazy-help.ts';

/** Declares `nyhetsbrev check`, with the rule list from `RULES` in its help; src/cli/actions/check.ts runs it. */
export function registerCheck(program: Command): void {
  const check = program
    .command('check')
    .description('validate issues like a linter; exit 1 on errors (and on warnings with --frail)')
    .argument('[ids...]', 'issue ids (default: every issue, drafts included)')
    .option('--issues <dir>', 'folder of issues', 'issues')
    .option('--json', 'print the messages as JSON (for tools)', false)
    .option('--frail', 'fail on warnings too', false)
    .action(async (ids: string[], options: CheckOptions, command: Command) =>
      (await import('../actions/check.ts')).check(ids, options, command),
    );
  addLazyHelpText(check, async () => (await import('../../check/rules/docs.ts')).rulesHelp());
}
