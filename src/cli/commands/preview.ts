import type { Command } from 'commander';

/** Registers `nyhetsbrev preview`. (Stub: owned by the issue that builds it.) */
export function registerPreview(program: Command): void {
  program
    .command('preview')
    .description('local preview server with live reload')
    .action(() => {
      throw new Error('nyhetsbrev preview is not implemented yet');
    });
}
