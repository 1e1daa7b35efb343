import type { Command } from 'commander';

/** Registers `nyhetsbrev subscribers`. (Stub: owned by the issue that builds it.) */
export function registerSubscribers(program: Command): void {
  program
    .command('subscribers')
    .description('manage subscribers and forum lists')
    .action(() => {
      throw new Error('nyhetsbrev subscribers is not implemented yet');
    });
}
