import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { configOf } from '../context.ts';

/** Registers `nyhetsbrev build`. */
export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('render issues to email (HTML + text) and web pages')
    .argument('[ids...]', 'issue ids (default: every published issue)')
    .option('--issues <dir>', 'folder of issues', 'issues')
    .option('--out <dir>', 'output folder', 'dist')
    .option('--drafts', 'include draft issues, marked "Utkast"', false)
    .action(
      async (ids: string[], options: { issues: string; out: string; drafts: boolean }, command: Command) => {
        // Loaded on use: the renderers (MJML) take a second to import, which --help should not pay.
        const { buildSite } = await import('../../build/index.ts');
        const { formatMessages, summarise } = await import('../../report/reporter.ts');
        const config = configOf(command);
        const result = await buildSite(config, {
          issuesDir: options.issues,
          outDir: options.out,
          ids,
          drafts: options.drafts,
        });
        const report = formatMessages(result.files);
        if (report) process.stderr.write(`${report}\n`);
        const { errors } = summarise(result.files);
        if (errors > 0) {
          throw new UserError('CheckFailed', `Nothing was built: ${errors} error(s) in the issues.`, {
            hint: 'Fix the errors listed above (file:line:column) and run `nyhetsbrev build` again.',
          });
        }
        const emails = result.emails
          ? `; emails: ${result.emails.rendered.length} rendered, ${result.emails.cached.length} from the cache`
          : '';
        process.stdout.write(
          `Built ${result.built.length} issue(s) into ${options.out}/: ${listIds(result.built)} (${result.written.length} files${emails}).\n`,
        );
      },
    );
}

/** `2024-01, 2024-02` — or, for long lists, the first and last with a count between. */
function listIds(ids: string[]): string {
  if (ids.length === 0) return 'none';
  if (ids.length <= 6) return ids.join(', ');
  return `${ids.slice(0, 2).join(', ')} … ${ids.slice(-2).join(', ')}`;
}
