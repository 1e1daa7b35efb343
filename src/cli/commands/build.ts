import type { Command } from 'commander';
import type { BuildOptions } from '../actions/build.ts';

/** Declares `nyhetsbrev build`; src/cli/actions/build.ts runs it. */
export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('render issues to email (HTML + text) and web pages')
    .argument('[ids...]', 'issue ids (default: every published issue)')
    .option('--issues <dir>', 'folder of issues', 'issues')
    .option('--out <dir>', 'output folder', 'dist')
    .option('--drafts', 'include draft issues, marked "Utkast"', false)
    .option('--json', 'print the summary as JSON (README → Machine-readable output)', false)
    .action(async (ids: string[], options: BuildOptions, command: Command) =>
      (await import('../actions/build.ts')).build(ids, options, command),
    );
}
