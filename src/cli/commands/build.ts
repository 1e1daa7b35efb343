import type { Command } from 'commander';
import type { BuildOptions } from '../actions/build.ts';

/** Declares `nyhetsbrev build`; src/cli/actions/build.ts runs it. */
export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('render the web archive, and the emails of the issues named (or all with --emails)')
    .argument('[ids...]', 'issue ids (default: every published issue)')
    .option('--issues <dir>', 'folder of issues', 'issues')
    .option('--out <dir>', 'output folder', 'dist')
    .option('--drafts', 'include draft issues, marked "Utkast"', false)
    .option('--emails', "also render every built issue's email (default: only when ids are given)")
    .option('--no-emails', 'render no email, not even of the issues named')
    .option('--cache-dir <dir>', 'where the build cache lives (README → The build cache)')
    .option('--no-cache', 'build without the cache')
    .option('--json', 'print the summary as JSON (README → Machine-readable output)', false)
    .action(async (ids: string[], options: BuildOptions, command: Command) =>
      (await import('../actions/build.ts')).build(ids, options, command),
    );
}
