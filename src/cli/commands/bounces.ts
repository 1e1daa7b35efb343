import type { Command } from 'commander';

/**
 * Declares `nyhetsbrev bounces [MAILBOX]` (reads the relay's bounce and complaint reports) and
 * `nyhetsbrev purge` (retention); src/cli/actions/bounces.ts runs them.
 */
export function registerBounces(program: Command): void {
  program
    .command('bounces')
    .description(
      'read bounces (RFC 3464) and complaints (ARF) from a Maildir or mbox; suppress hard-bounced and complaining addresses',
    )
    .argument('[mailbox]', 'Maildir folder or mbox file (default: bounces.mailbox of the config)')
    .action(async (mailbox: string | undefined, _flags: unknown, command: Command) =>
      (await import('../actions/bounces.ts')).bounces(mailbox, command),
    );
  program
    .command('purge')
    .description(
      'delete delivery rows, webhook events and bounce reports older than retention.months (serve also does it hourly)',
    )
    .action(async (_flags: unknown, command: Command) =>
      (await import('../actions/bounces.ts')).purge(command),
    );
}
