import type { Command } from 'commander';
import { TRANSPORT_NAMES } from '../../send/types.ts';
import type { ServeFlags } from '../actions/serve.ts';

/** Declares `nyhetsbrev serve`; src/cli/actions/serve.ts runs it. */
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
      `transport for confirmation emails: ${TRANSPORT_NAMES.join(', ')} (default: the config’s)`,
    )
    .option(
      '--local-links',
      'make links in confirmation emails point at this server (for trying it out)',
      false,
    )
    .option('--log-format <format>', 'log lines as text or json (one object per line)', 'text')
    .action(async (flags: ServeFlags, command: Command) =>
      (await import('../actions/serve.ts')).serve(flags, command),
    );
}
