import type { Command } from 'commander';
import { configOf, isInteractive } from '../context.ts';

/** Registers `nyhetsbrev demo`, the quick start's main job (`npm start`). */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'quick start: build the sample issues into dist/, import the sample subscribers and send the newest issue to them through the outbox (no network, no API key)',
    )
    .action(async (_options: unknown, command: Command) => {
      // Loaded on use: building and sending pull in MJML and the transports.
      const { runDemo } = await import('../../send/demo.ts');
      await runDemo(configOf(command), { progress: isInteractive() });
    });
}
