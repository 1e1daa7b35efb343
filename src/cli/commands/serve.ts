import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import type { TransportName } from '../../send/types.ts';
import { createLog, LOG_FORMATS } from '../../serve/log.ts';
import { configOf } from '../context.ts';

interface ServeFlags {
  port: string;
  host: string;
  trustProxy: boolean;
  localLinks: boolean;
  transport?: string;
  logFormat: string;
}

const TRANSPORTS: readonly TransportName[] = ['outbox', 'resend', 'smtp'];

/** Registers `nyhetsbrev serve`: subscribe, confirm, unsubscribe (RFC 8058) and provider webhooks. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('subscription endpoints and provider webhooks')
    .option('--port <n>', 'port to listen on', '4322')
    .option(
      '--host <address>',
      'address to listen on (loopback by default; put a TLS proxy in front)',
      '127.0.0.1',
    )
    .option(
      '--trust-proxy',
      'take the client address from X-Forwarded-For (only behind a reverse proxy)',
      false,
    )
    .option(
      '--transport <name>',
      'transport for confirmation emails: resend, smtp or outbox (default: the config’s)',
    )
    .option(
      '--local-links',
      'make links in confirmation emails point at this server (for trying it out)',
      false,
    )
    .option('--log-format <format>', 'log lines as text or json (one object per line)', 'text')
    .action(async (flags: ServeFlags, command: Command) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UserError('UsageError', `--port ${flags.port} is not a port number.`, {
          hint: 'Give a number from 1 to 65535.',
        });
      }
      if (flags.transport !== undefined && !(TRANSPORTS as readonly string[]).includes(flags.transport)) {
        throw new UserError('UsageError', `Unknown transport "${flags.transport}".`, {
          hint: `Use one of: ${TRANSPORTS.join(', ')}.`,
        });
      }
      if (!(LOG_FORMATS as readonly string[]).includes(flags.logFormat)) {
        throw new UserError('UsageError', `Unknown log format "${flags.logFormat}".`, {
          hint: `Use one of: ${LOG_FORMATS.join(', ')}.`,
        });
      }
      const config = configOf(command);
      // Loaded on use: the server, MJML and the database driver should not slow down --help.
      const { runServe } = await import('../../serve/run.ts');
      await runServe(config, {
        port,
        host: flags.host,
        trustProxy: flags.trustProxy,
        localLinks: flags.localLinks,
        transport: flags.transport as TransportName | undefined,
        // Text keeps serve's own default sink; JSON also carries the start-up lines.
        ...(flags.logFormat === 'json' ? { log: createLog('json') } : {}),
      });
    });
}
