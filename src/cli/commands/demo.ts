import type { Command } from 'commander';

/** Declares `nyhetsbrev demo`, the quick start's main job (`npm start`). */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'quick start: build the sample issues into dist/, import the sample subscribers and send the newest issue to them through the outbox (no network, no API key)',
    )
    .action(async (_options: unknown, command: Command) =>
      (await import('../actions/demo.ts')).demo(command),
    );
}
