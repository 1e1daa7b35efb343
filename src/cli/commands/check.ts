import type { Command } from 'commander';

/** Registers `nyhetsbrev check`. (Stub: owned by the issue that builds it.) */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('validate issues; exit 1 on errors')
    .action(() => {
      throw new Error('nyhetsbrev check is not implemented yet');
    });
}
