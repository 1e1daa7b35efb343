import type { Command } from 'commander';

/** Registers `nyhetsbrev build`. */
export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('render issues to email (HTML + text) and web pages')
    .argument('[ids...]', 'issue ids (default: all)')
    .option('--issues <dir>', 'folder of issues', 'issues')
    .option('--out <dir>', 'output folder', 'dist')
    .action(() => {
      throw new Error('not implemented yet');
    });
}
