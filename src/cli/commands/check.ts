import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { configOf } from '../context.ts';

/** Options of `nyhetsbrev check`. */
interface CheckOptions {
  issues: string;
  json: boolean;
  frail: boolean;
}

/** Registers `nyhetsbrev check`: every rule over the given issues (default: all, drafts included). */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('validate issues like a linter; exit 1 on errors (and on warnings with --frail)')
    .argument('[ids...]', 'issue ids (default: every issue, drafts included)')
    .option('--issues <dir>', 'folder of issues', 'issues')
    .option('--json', 'print the messages as JSON (for tools)', false)
    .option('--frail', 'fail on warnings too', false)
    .action(async (ids: string[], options: CheckOptions, command: Command) => {
      // Loaded on use: the renderers (MJML) take a second to import, which --help should not pay.
      const { checkIssue, issueIds, uniqueFiles } = await import('../../check/index.ts');
      const { loadArchive } = await import('../../pipeline.ts');
      const { formatMessages, messagesAsJson, summarise } = await import('../../report/reporter.ts');
      const config = configOf(command);
      const archive = await loadArchive(options.issues, config);
      const wanted = ids.length > 0 ? ids : issueIds(archive);
      const results = [];
      for (const id of wanted) results.push(await checkIssue(archive, id, config));
      const files = uniqueFiles(results);
      const summary = summarise(files);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ issues: wanted, summary, messages: messagesAsJson(files) }, null, 2)}\n`,
        );
      } else {
        const report = formatMessages(files);
        process.stdout.write(
          report
            ? `${report}\n`
            : `${wanted.length} issue(s) checked (${wanted.join(', ') || 'none'}): no problems.\n`,
        );
      }
      const failing = summary.errors + (options.frail ? summary.warnings : 0);
      if (failing > 0) {
        const what =
          options.frail && summary.errors === 0
            ? `${summary.warnings} warning(s) (--frail)`
            : `${summary.errors} error(s)`;
        throw new UserError('CheckFailed', `The check failed: ${what} in ${wanted.length} issue(s).`, {
          hint: 'Fix the messages listed above (file:line:column, with a hint under each) and run `nyhetsbrev check` again.',
        });
      }
    });
}
