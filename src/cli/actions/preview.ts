import { relative } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { E } from '../../errors/catalog.ts';
import { startPreview } from '../../preview/index.ts';
import { configOf } from '../context.ts';

/** Options of `nyhetsbrev preview`. */
export interface PreviewCommandOptions {
  port: string;
  host: string;
  issues: string;
}

const LOOPBACK = ['127.0.0.1', '::1', 'localhost'];

/** `nyhetsbrev preview`: the local preview server with live reload; runs until Ctrl+C. */
export async function preview(options: PreviewCommandOptions, command: Command): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserError(E.PreviewPortInvalid, { port: options.port });
  }
  const config = configOf(command);
  let server;
  try {
    server = await startPreview({
      issuesDir: options.issues,
      config,
      reloadConfig: () => configOf(command),
      port,
      host: options.host,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw error;
    throw new UserError(E.PortInUse, { host: options.host, port, code }, { cause: error });
  }
  const watched = [
    options.issues,
    'templates',
    ...(config.file ? [relative(process.cwd(), config.file)] : []),
  ];
  process.stdout.write(`Preview at ${server.url} — watching ${watched.join(', ')}. Press Ctrl+C to stop.\n`);
  if (!LOOPBACK.includes(options.host)) {
    process.stdout.write(`Note: listening on ${options.host}, so others on the network can see drafts.\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
