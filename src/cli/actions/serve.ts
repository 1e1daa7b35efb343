import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { TRANSPORT_NAMES, type TransportName } from '../../send/types.ts';
import { createLog, LOG_FORMATS } from '../../serve/log.ts';
import { configOf } from '../context.ts';

/** The flags of `nyhetsbrev serve`, as commander parses them. */
export interface ServeFlags {
  port: string;
  host: string;
  trustProxy: boolean;
  localLinks: boolean;
  transport?: string;
  logFormat: string;
}

/** `nyhetsbrev serve`: subscribe, confirm, unsubscribe (RFC 8058) and provider webhooks. */
export async function serve(flags: ServeFlags, command: Command): Promise<void> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserError('UsageError', `--port ${flags.port} is not a port number.`, {
      hint: 'Give a number from 1 to 65535.',
    });
  }
  if (flags.transport !== undefined && !(TRANSPORT_NAMES as readonly string[]).includes(flags.transport)) {
    throw new UserError('UsageError', `Unknown transport "${flags.transport}".`, {
      hint: `Use one of: ${TRANSPORT_NAMES.join(', ')}.`,
    });
  }
  if (!(LOG_FORMATS as readonly string[]).includes(flags.logFormat)) {
    throw new UserError('UsageError', `Unknown log format "${flags.logFormat}".`, {
      hint: `Use one of: ${LOG_FORMATS.join(', ')}.`,
    });
  }
  const config = configOf(command);
  // Loaded after the flags are checked: the server, MJML and the database driver take a while.
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
}
