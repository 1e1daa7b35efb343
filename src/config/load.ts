import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type * as z from 'zod';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { formatYamlProblem, locateYaml, parseYaml, validateYaml } from '../yaml.ts';
import { configSchema, type Config } from './schema.ts';
import { DEFAULT_CONFIG } from './defaults.ts';
import { loadTheme } from '../theme/load.ts';

/**
 * Loads and validates `nyhetsbrev.yml`. Every schema problem is reported at once with the key and
 * its `file:line:col`; throws `ConfigInvalid` (a UserError) when any. A missing file at the default
 * path falls back to the embedded defaults; a missing explicit file is `ConfigNotFound`.
 */
export function loadConfig(file = 'nyhetsbrev.yml', { explicit = false } = {}): Config {
  const path = resolve(file);
  if (!existsSync(path)) {
    if (explicit) {
      throw new UserError(E.ConfigMissing, { file });
    }
    return resolveConfig(configSchema.parse(DEFAULT_CONFIG), undefined, process.cwd());
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(E.ConfigUnreadable, { file }, { cause: error });
  }
  return parseConfig(text, path);
}

/** Parses config text (from `path`, for messages). Throws `ConfigInvalid` listing every problem. */
export function parseConfig(text: string, path: string): Config {
  const yaml = parseYaml(text);
  if (yaml.error) {
    throw new UserError(
      E.YamlInvalid,
      { reason: yaml.error.message },
      { place: `${path}:${yaml.error.line}:${yaml.error.column}` },
    );
  }
  const result = validateYaml(yaml, configSchema);
  if (!result.success) {
    const problems = result.problems.map((problem) => formatYamlProblem(path, problem));
    throw new UserError(
      E.ConfigProblems,
      { path, problems },
      { place: problems.length === 1 ? undefined : path },
    );
  }
  const theme = locateYaml(yaml, ['theme']);
  const themePlace = theme.exact ? `${path}:${theme.line}:${theme.column}` : undefined;
  return resolveConfig(result.data, path, dirname(path), themePlace);
}

function resolveConfig(
  data: z.output<typeof configSchema>,
  file: string | undefined,
  root: string,
  themePlace?: string,
): Config {
  const baseUrl = data.baseUrl.endsWith('/') ? data.baseUrl : `${data.baseUrl}/`;
  return {
    ...data,
    baseUrl,
    theme: loadTheme(data.theme === undefined ? undefined : resolve(root, data.theme), themePlace),
    database: resolve(root, data.database),
    lists: resolve(root, data.lists),
    ...(data.cache && { cache: { dir: resolve(root, data.cache.dir) } }),
    transport: { ...data.transport, outbox: { dir: resolve(root, data.transport.outbox.dir) } },
    file,
    root,
  };
}
