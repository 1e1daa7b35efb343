import type { Command } from 'commander';
import type { PreviewCommandOptions } from '../actions/preview.ts';

/** Declares `nyhetsbrev preview`; src/cli/actions/preview.ts runs it. */
export function registerPreview(program: Command): void {
  program
    .command('preview')
    .description('local preview server with live reload (every issue, drafts included)')
    .option('--port <port>', 'port to listen on (0: any free port)', '4321')
    .option('--host <host>', 'address to listen on (loopback by default)', '127.0.0.1')
    .option('--issues <dir>', 'folder of issues', 'issues')
    .action(async (options: PreviewCommandOptions, command: Command) =>
      (await import('../actions/preview.ts')).preview(options, command),
    );
}
