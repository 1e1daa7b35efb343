import type { Command } from 'commander';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';

/**
 * Loads the config named by the global `--config` option of the command's program. An explicitly
 * given file must exist; the default `nyhetsbrev.yml` falls back to the embedded defaults.
 */
export function configOf(command: Command): Config {
  const root = rootOf(command);
  const file = root.opts<{ config: string }>().config;
  const explicit = root.getOptionValueSource('config') === 'cli';
  return loadConfig(file, { explicit });
}

function rootOf(command: Command): Command {
  let current = command;
  while (current.parent) current = current.parent;
  return current;
}

/** True when progress bars and prompts make sense: stdout is a TTY and we are not in CI. */
export function isInteractive(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.CI;
}
