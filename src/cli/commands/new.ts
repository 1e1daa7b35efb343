import type { Command } from 'commander';

/** Registers `nyhetsbrev new`. (Stub: owned by the issue that builds it.) */
export function registerNew(program: Command): void {
  program
    .command('new')
    .description("scaffold next month's issue")
    .action(() => {
      throw new Error('nyhetsbrev new is not implemented yet');
    });
}
