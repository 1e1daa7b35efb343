import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { configOf } from '../context.ts';

/**
 * Registers `nyhetsbrev bounces [mailbox]`: reads the delivery status notifications and complaint
 * reports the relay sent to the VERP address, from a Maildir folder or an mbox file.
 */
export function registerBounces(program: Command): void {
  program
    .command('bounces')
    .description(
      'read bounces (RFC 3464) and complaints (ARF) from a Maildir or mbox; suppress hard-bounced and complaining addresses',
    )
    .argument('[mailbox]', 'Maildir folder or mbox file (default: bounces.mailbox of the config)')
    .action(async (mailbox: string | undefined, _flags: unknown, command: Command) => {
      const config = configOf(command);
      const configured = config.bounces.mailbox;
      // An argument is relative to the working folder, the config's setting to the config's.
      const path = mailbox !== undefined ? resolve(mailbox) : configured && resolve(config.root, configured);
      if (path === undefined) {
        throw new UserError('UsageError', 'No mailbox to read bounces from.', {
          hint: 'Give a Maildir folder or mbox file: `nyhetsbrev bounces /var/mail/bounces`, or set bounces.mailbox in nyhetsbrev.yml.',
        });
      }
      const { databaseError, openStore } = await import('../../audience/index.ts');
      const { bounceSettings, formatBounceSummary, processBounces } = await import('../../bounces/index.ts');
      const { tokenSecret } = await import('../../send/secret.ts');
      const store = openStore(config.database);
      try {
        // The outbox's rule: NYHETSBREV_SECRET, else the database's own key — whichever the send used.
        const settings = bounceSettings(config, tokenSecret(store, 'outbox', process.env));
        const summary = await processBounces(store, settings, path);
        process.stdout.write(`${formatBounceSummary(summary).join('\n')}\n`);
      } catch (error) {
        throw databaseError(error, config.database);
      } finally {
        store.close();
      }
    });
}
