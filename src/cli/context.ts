import type { Command } from 'commander';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { defaultCacheDir } from '../cache/index.ts';
import { useResultCache } from '../cache/results.ts';

/**
 * Loads the config named by the global `--config` option of the command's program. An explicitly
 * given file must exist; the default `nyhetsbrev.yml` falls back to the embedded defaults.
 * Turns on the result cache (MJML's and Handlebars' work) in the build cache folder (`$NYHETSBREV_CACHE`, `cache.dir`, …),
 * so an email whose MJML did not change is never compiled twice; `build` and `publish` set it
 * again from their `--cache-dir`/`--no-cache` (see `cacheOption`).
 */
export function configOf(command: Command): Config {
  const root = rootOf(command);
  const file = root.opts<{ config: string }>().config;
  const explicit = root.getOptionValueSource('config') === 'cli';
  const config = loadConfig(file, { explicit });
  useResultCache(defaultCacheDir(process.env, process.cwd(), { config }));
  return config;
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
