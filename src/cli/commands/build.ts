import type { Command } from 'commander';
import type { BuildResult } from '../../build/index.ts';
import { UserError } from '../../errors.ts';
import { configOf } from '../context.ts';
import { errorJson, printJson } from '../json.ts';

/** Registers `nyhetsbrev build`. */
export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('render issues to email (HTML + text) and web pages')
    .argument('[ids...]', 'issue ids (default: every published issue)')
    .option('--issues <dir>', 'folder of issues', 'issues')
    .option('--out <dir>', 'output folder', 'dist')
    .option('--drafts', 'include draft issues, marked "Utkast"', false)
    .option('--json', 'print the summary as JSON (README → Machine-readable output)', false)
    .action(
      async (
        ids: string[],
        options: { issues: string; out: string; drafts: boolean; json: boolean },
        command: Command,
      ) => {
        // Loaded on use: the renderers (MJML) take a second to import, which --help should not pay.
        const { buildSite } = await import('../../build/index.ts');
        const { formatMessages, summarise } = await import('../../report/reporter.ts');
        const { buildJson } = await import('../json-shapes.ts');
        const config = configOf(command);
        const json = (result?: BuildResult, error: unknown = null): void => {
          if (options.json) printJson(buildJson(options.out, result, errorJson(error) ?? null));
        };
        const result = await buildSite(config, {
          issuesDir: options.issues,
          outDir: options.out,
          ids,
          drafts: options.drafts,
        }).catch((error: unknown) => {
          json(undefined, error);
          throw error;
        });
        const report = formatMessages(result.files);
        if (report) process.stderr.write(`${report}\n`);
        const { errors } = summarise(result.files);
        if (errors > 0) {
          const error = new UserError('CheckFailed', `Nothing was built: ${errors} error(s) in the issues.`, {
            hint: 'Fix the errors listed above (file:line:column) and run `nyhetsbrev build` again.',
          });
          json(result, error);
          throw error;
        }
        if (options.json) return json(result);
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
