import type { Command } from 'commander';
import type { PublishOptions } from '../actions/publish.ts';

/** Declares `nyhetsbrev publish --to DIR`; src/cli/actions/publish.ts runs it. */
export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description('build the web archive and replace DIR with it atomically (drafts are never published)')
    .requiredOption('--to <dir>', 'folder the web server serves (replaced as a whole)')
    .option('--issues <dir>', 'folder of issues', 'issues')
    .option('--force', 'replace a non-empty folder that does not hold an earlier publish', false)
    .option('--cache-dir <dir>', 'where the build cache lives (README → The build cache)')
    .option('--no-cache', 'build without the cache')
    .option('--json', 'print what changed as JSON (README → Machine-readable output)', false)
    .action(async (options: PublishOptions, command: Command) =>
      (await import('../actions/publish.ts')).publish(options, command),
    );
}
