import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { UserError } from '../errors.ts';
import { formatYamlProblem, parseYaml, validateYaml } from '../yaml.ts';
import { configSchema, type Config } from './schema.ts';
import { DEFAULT_CONFIG } from './defaults.ts';

/**
 * Loads and validates `nyhetsbrev.yml`. Every schema problem is reported at once with the key and
 * its `file:line:col`; throws `ConfigInvalid` (a UserError) when any. A missing file at the default
 * path falls back to the embedded defaults; a missing explicit file is `ConfigNotFound`.
 */
export function loadConfig(file = 'nyhetsbrev.yml', { explicit = false } = {}): Config {
  const path = resolve(file);
  if (!existsSync(path)) {
    if (explicit) {
      throw new UserError('ConfigNotFound', `Config file ${file} does not exist.`, {
        hint: 'Pass an existing file with --config, or leave it out to use nyhetsbrev.yml.',
      });
    }
    return resolveConfig(configSchema.parse(DEFAULT_CONFIG), undefined, process.cwd());
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError('ConfigNotFound', `Cannot read ${file}.`, {
      cause: error,
      hint: 'Check its permissions.',
    });
  }
  return parseConfig(text, path);
}

/** Parses config text (from `path`, for messages). Throws `ConfigInvalid` listing every problem. */
export function parseConfig(text: string, path: string): Config {
  const yaml = parseYaml(text);
  if (yaml.error) {
    throw new UserError('ConfigInvalid', `Invalid YAML: ${yaml.error.message}`, {
      place: `${path}:${yaml.error.line}:${yaml.error.column}`,
      hint: 'Fix the YAML syntax (indentation, a missing colon or an unclosed quote) and run again.',
    });
  }
  const result = validateYaml(yaml, configSchema);
  if (!result.success) {
    const problems = result.problems.map((problem) => formatYamlProblem(path, problem));
    throw new UserError(
      'ConfigInvalid',
      `${path} has ${problems.length} problem(s):\n${problems.join('\n')}`,
      {
        place: problems.length === 1 ? undefined : path,
        hint: 'See README → Configuration for every key and its meaning.',
      },
    );
  }
  return resolveConfig(result.data, path, dirname(path));
}

function resolveConfig(data: z.output<typeof configSchema>, file: string | undefined, root: string): Config {
  const baseUrl = data.baseUrl.endsWith('/') ? data.baseUrl : `${data.baseUrl}/`;
  return {
    ...data,
    baseUrl,
    database: resolve(root, data.database),
    lists: resolve(root, data.lists),
    ...(data.cache && { cache: { dir: resolve(root, data.cache.dir) } }),
    transport: { ...data.transport, outbox: { dir: resolve(root, data.transport.outbox.dir) } },
    file,
    root,
  };
}
