import type { Command } from 'commander';
import type { ImportCommandOptions } from '../actions/import.ts';

/** Declares `nyhetsbrev import`; src/cli/actions/import.ts runs it. */
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
    .action(async (files: string[], options: ImportCommandOptions) =>
      (await import('../actions/import.ts')).importFiles(files, options),
    );
}
