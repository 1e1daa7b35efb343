import { join, relative } from 'node:path';
import type { Command } from 'commander';

/** Options of `nyhetsbrev import`. */
interface ImportCommandOptions {
  issues: string;
  into?: string;
  asIssue?: string;
  dryRun: boolean;
  verbose: boolean;
}

/** Registers `nyhetsbrev import`: Word documents, saved pages and Markdown files into issue folders. */
export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import Word documents (.docx), saved newsletter pages (.html) or Markdown files as draft issues',
    )
    .argument(
      '<files...>',
      'the files to import; without --into or --as-issue each becomes an issue of its own',
    )
    .option('--issues <dir>', 'folder of issues', 'issues')
    .option('--into <id>', 'add the files’ sections to this existing issue, after its last section')
    .option('--as-issue <id>', 'make one issue with this id of all the files')
    .option('--dry-run', 'show what would be written, and write nothing', false)
    .option('--verbose', 'also list what was left out as expected (page navigation, scripts …)', false)
    .action(async (files: string[], options: ImportCommandOptions) => {
      const { formatImportMessages, planImport, recoverInterruptedImport, writeImport } =
        await import('../../import/index.ts');
      if (options.into && !options.dryRun) {
        const removed = await recoverInterruptedImport(join(options.issues, options.into));
        if (removed.length > 0) {
          process.stderr.write(
            `An earlier import into ${options.into} was interrupted; removed what it had added: ${removed.join(', ')}.\n`,
          );
        }
      }
      const plan = await planImport({
        files,
        issuesDir: options.issues,
        into: options.into,
        asIssue: options.asIssue,
      });
      const report = formatImportMessages(plan.messages, { verbose: options.verbose });
      if (report) process.stderr.write(`${report}\n`);
      if (!options.dryRun) await writeImport(plan);
      const lines = plan.issues.map((issue) => {
        const dir = relative(process.cwd(), issue.dir) || issue.dir;
        const images = [...issue.files.keys()].filter((path) => path.startsWith('images/')).length;
        const what = `${issue.sections.length} section(s)${images ? `, ${images} image(s)` : ''}`;
        const verb = options.dryRun ? 'Would import' : 'Imported';
        return issue.mode === 'new'
          ? `${verb} ${issue.sources.join(', ')} as ${dir}/: issue.md and ${what} (status: draft).`
          : `${verb} ${issue.sources.join(', ')} into ${dir}/: ${what} after its last section (${issue.sections.join(', ')}).`;
      });
      const ids = plan.issues.map((issue) => issue.id).join(' ');
      if (!options.dryRun)
        lines.push(
          `Next: review the files and the messages above, then run \`nyhetsbrev check ${ids}\` and \`nyhetsbrev preview\`.`,
        );
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
