import type { Command } from 'commander';

/** Registers `nyhetsbrev publish`. (Stub: owned by the issue that builds it.) */
export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description('build the archive and swap it in atomically')
    .action(() => {
      throw new Error('nyhetsbrev publish is not implemented yet');
    });
}
