import type { Config } from '../config/schema.ts';
import { startServer, type ServeOptions } from './index.ts';
import { WEBHOOK_SECRET_ENV } from '../secrets/index.ts';

/**
 * Runs `nyhetsbrev serve` until SIGINT or SIGTERM, then shuts down gracefully (in-flight requests
 * and queued confirmation emails finish first). Resolves when everything is closed.
 */
export async function runServe(config: Config, options: ServeOptions): Promise<void> {
  const server = await startServer(config, options);
  const { deps } = server;
  const say = options.log ?? ((line: string): void => void process.stdout.write(`${line}\n`));
  say(`nyhetsbrev serve is listening on ${server.url}`);
  say(`  links in emails: ${deps.endpoint}${options.localLinks ? ' (--local-links)' : ''}`);
  const { transport } = server;
  say(`  confirmation emails: ${transport.name}${transport.folder ? ` (${transport.folder})` : ''}`);
  say(
    `  Resend webhooks: ${deps.webhookSecret ? `on, POST ${deps.endpoint}webhooks/resend` : `off (${WEBHOOK_SECRET_ENV} is not set)`}`,
  );
  say(`  scheduled sends: ${server.dueSends ? 'started here when due (checked every minute)' : 'off'}`);
  say(
    `  rate limit: ${deps.rateLimit.limit} subscribe requests per ${Math.round(deps.rateLimit.windowMs / 60_000)} min per client, ` +
      (deps.trustProxy
        ? 'client from X-Forwarded-For'
        : 'client from the socket (behind a reverse proxy, pass --trust-proxy)'),
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  say('nyhetsbrev serve: shutting down, finishing requests in flight …');
  await server.close();
  say('nyhetsbrev serve stopped.');
}
