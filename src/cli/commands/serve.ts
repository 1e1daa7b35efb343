import type { Command } from 'commander';

/** Registers `nyhetsbrev serve`. (Stub: owned by the issue that builds it.) */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('subscription endpoints and provider webhooks')
    .action(() => {
      throw new Error('nyhetsbrev serve is not implemented yet');
    });
}
