import { resolve } from 'node:path';
import type { Command } from 'commander';
import { databaseError, openStore, purgeRetained } from '../../audience/index.ts';
import { bounceSettings, formatBounceSummary, processBounces } from '../../bounces/index.ts';
import { UserError } from '../../errors.ts';
import { tokenSecret } from '../../send/secret.ts';
import { configOf } from '../context.ts';

/** `nyhetsbrev bounces [MAILBOX]`: applies the unread bounce and complaint reports of a mailbox. */
export async function bounces(mailbox: string | undefined, command: Command): Promise<void> {
  const config = configOf(command);
  const configured = config.bounces.mailbox;
  // An argument is relative to the working folder, the config's setting to the config's.
  const path = mailbox !== undefined ? resolve(mailbox) : configured && resolve(config.root, configured);
  if (path === undefined) {
    throw new UserError('UsageError', 'No mailbox to read bounces from.', {
      hint: 'Give a Maildir folder or mbox file: `nyhetsbrev bounces /var/mail/bounces`, or set bounces.mailbox in nyhetsbrev.yml.',
    });
  }
  const store = openStore(config.database);
  try {
    // The outbox's rule: NYHETSBREV_SECRET, else the database's own key — whichever the send used.
    const settings = bounceSettings(config, tokenSecret(store, { needsSecret: false }, process.env));
    const summary = await processBounces(store, settings, path);
    process.stdout.write(`${formatBounceSummary(summary).join('\n')}\n`);
  } catch (error) {
    throw databaseError(error, config.database);
  } finally {
    store.close();
  }
}

/** `nyhetsbrev purge`: deletes what is past `retention.months`. */
export function purge(command: Command): void {
  const config = configOf(command);
  const store = openStore(config.database);
  try {
    const purged = purgeRetained(store, config, new Date());
    process.stdout.write(
      `Deleted ${purged.deliveries} delivery row(s), ${purged.webhookEvents} webhook event(s) and ${purged.bounceReports} bounce report(s) from before ${purged.before.slice(0, 10)} (retention: ${config.retention.months} months).\n`,
    );
  } catch (error) {
    throw databaseError(error, config.database);
  } finally {
    store.close();
  }
}
