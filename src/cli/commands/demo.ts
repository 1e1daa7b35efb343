import type { Command } from 'commander';

/** Registers `nyhetsbrev demo`. (Stub: owned by the issue that builds it.) */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('quick start: build the sample issues and send the latest to the sample subscribers through the outbox')
    .action(() => {
      throw new Error('nyhetsbrev demo is not implemented yet');
    });
}
