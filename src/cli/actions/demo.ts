import type { Command } from 'commander';
import { runDemo } from '../../send/demo.ts';
import { configOf, isInteractive } from '../context.ts';

/** `nyhetsbrev demo`: builds, imports the sample subscribers and sends through the outbox. */
export async function demo(command: Command): Promise<void> {
  await runDemo(configOf(command), { progress: isInteractive() });
}
