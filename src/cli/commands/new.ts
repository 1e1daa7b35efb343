import { relative } from 'node:path';
import type { Command } from 'commander';
import { configOf } from '../context.ts';

/** Registers `nyhetsbrev new`: scaffolds the next issue folder from templates/new/. */
export function registerNew(program: Command): void {
  program
    .command('new')
    .description("scaffold next month's issue (status: draft); never overwrites")
    .argument('[id]', 'issue id, YYYY-MM (default: the month after the newest issue)')
    .option('--issues <dir>', 'folder of issues', 'issues')
    .action(async (id: string | undefined, options: { issues: string }, command: Command) => {
      const { scaffoldIssue } = await import('../../scaffold/index.ts');
      const config = configOf(command);
      const result = await scaffoldIssue({ issuesDir: options.issues, config, id });
      const dir = relative(process.cwd(), result.dir) || result.dir;
      const lines = [
        `Created ${dir}/ with ${result.files.join(' and ')} (status: draft, date ${result.date}).`,
        `Next: write the title and intro in ${dir}/issue.md, add sections as ${dir}/02-namn.md, and run \`nyhetsbrev preview\`.`,
      ];
      if (result.editorPlaceholder)
        lines.push(
          'The config has no `editor:`, so the signature is a placeholder: fill it in, or add `editor:` to nyhetsbrev.yml.',
        );
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
