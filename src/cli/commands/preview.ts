import { relative } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { configOf } from '../context.ts';

/** Options of `nyhetsbrev preview`. */
interface PreviewCommandOptions {
  port: string;
  host: string;
  issues: string;
}

const LOOPBACK = ['127.0.0.1', '::1', 'localhost'];

/** Registers `nyhetsbrev preview`: the local preview server with live reload; runs until Ctrl+C. */
export function registerPreview(program: Command): void {
  program
    .command('preview')
    .description('local preview server with live reload (every issue, drafts included)')
    .option('--port <port>', 'port to listen on (0: any free port)', '4321')
    .option('--host <host>', 'address to listen on (loopback by default)', '127.0.0.1')
    .option('--issues <dir>', 'folder of issues', 'issues')
    .action(async (options: PreviewCommandOptions, command: Command) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UserError('UsageError', `--port ${options.port} is not a port number.`, {
          hint: 'Use a number from 1 to 65535, or 0 for any free port.',
        });
      }
      const { startPreview } = await import('../../preview/index.ts');
      const config = configOf(command);
      let preview;
      try {
        preview = await startPreview({
          issuesDir: options.issues,
          config,
          reloadConfig: () => configOf(command),
          port,
          host: options.host,
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw error;
        throw new UserError('PortInUse', `Cannot listen on ${options.host}:${port} (${code}).`, {
          cause: error,
          hint:
            code === 'EADDRINUSE'
              ? `Another program (perhaps another preview) uses port ${port}: stop it, or pass --port ${port + 1}.`
              : 'Pick another --port or --host.',
        });
      }
      const watched = [
        options.issues,
        'templates',
        ...(config.file ? [relative(process.cwd(), config.file)] : []),
      ];
      process.stdout.write(
        `Preview at ${preview.url} — watching ${watched.join(', ')}. Press Ctrl+C to stop.\n`,
      );
      if (!LOOPBACK.includes(options.host)) {
        process.stdout.write(
          `Note: listening on ${options.host}, so others on the network can see drafts.\n`,
        );
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void preview.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
