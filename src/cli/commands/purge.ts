import type { Command } from 'commander';
import { configOf } from '../context.ts';

/** Registers `nyhetsbrev purge`: deletes delivery rows and provider events past `retention.months`. */
export function registerPurge(program: Command): void {
  program
    .command('purge')
    .description(
      'delete delivery rows, webhook events and bounce reports older than retention.months (serve also does it hourly)',
    )
    .action(async (_flags: unknown, command: Command) => {
      const config = configOf(command);
      const { databaseError, openStore, purgeRetained } = await import('../../audience/index.ts');
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
    });
}
