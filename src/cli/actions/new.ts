import { relative } from 'node:path';
import type { Command } from 'commander';
import { scaffoldIssue } from '../../scaffold/index.ts';
import { configOf } from '../context.ts';

/** `nyhetsbrev new`: scaffolds the next issue folder from templates/new/ and says what to do next. */
export async function newIssue(
  id: string | undefined,
  options: { issues: string },
  command: Command,
): Promise<void> {
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
}
