import type { Command } from 'commander';

/** Registers `nyhetsbrev send`. (Stub: owned by the issue that builds it.) */
export function registerSend(program: Command): void {
  program
    .command('send')
    .description('send an issue to subscribers, exactly once per recipient')
    .action(() => {
      throw new Error('nyhetsbrev send is not implemented yet');
    });
}
