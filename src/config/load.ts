import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../errors.ts';
import { configSchema, type Config } from './schema.ts';
import { DEFAULT_CONFIG } from './defaults.ts';
import { loadTheme } from '../theme/load.ts';
import { describeIssue } from './yaml-issue.ts';

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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const where = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${path}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    throw new UserError('ConfigInvalid', `Invalid YAML: ${first.message.split('\n')[0]}`, {
      place: where(first.pos[0]),
      hint: 'Fix the YAML syntax (indentation, a missing colon or an unclosed quote) and run again.',
    });
  }
  const result = configSchema.safeParse(doc.toJS() ?? {}, { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => describeIssue(issue, doc, where, path));
    throw new UserError(
      'ConfigInvalid',
      `${path} has ${problems.length} problem(s):\n${problems.join('\n')}`,
      {
        place: problems.length === 1 ? undefined : path,
        hint: 'See README → Configuration for every key and its meaning.',
      },
    );
  }
  const themeNode: unknown = doc.get('theme', true);
  const themePlace = isNode(themeNode) && themeNode.range ? where(themeNode.range[0]) : undefined;
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
    transport: { ...data.transport, outbox: { dir: resolve(root, data.transport.outbox.dir) } },
    file,
    root,
  };
}
