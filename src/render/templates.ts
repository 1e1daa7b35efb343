import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { registerHelpers } from './template-helpers.ts';

/** The templates folder shipped with nyhetsbrev. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** A compiled template: data in, text out. Strict: a missing field throws `TemplateError`. */
export type Template = (data: object) => string;

const cache = new Map<string, { mtimeMs: number; template: Template }>();

/** Where {@link loadTemplate} finds a template and its partials. */
export interface TemplateOptions {
  /** The templates folder; default the shipped one. */
  dir?: string;
  /** More partial files, each named after its file (`header.hbs` → `header`): the theme's. */
  partials?: readonly string[];
}

/**
 * Compiles `templates/<kind>/<name>` with the partials of `templates/<kind>/partials/` and
 * `partials` (the theme's header and footer), in Handlebars strict mode. Compiled once per file
 * version (recompiled when a template changes, so preview picks up edits without a restart).
 */
export function loadTemplate(
  kind: 'email' | 'web',
  name: string,
  { dir = TEMPLATES_DIR, partials = [] }: TemplateOptions = {},
): Template {
  const path = join(dir, kind, name);
  const partialsDir = join(dir, kind, 'partials');
  const files = [...listFiles(partialsDir), ...partials];
  const mtimeMs = newestMtime([path, partialsDir, ...files]);
  const key = [path, ...partials].join('\0');
  const cached = cache.get(key);
  if (cached && cached.mtimeMs === mtimeMs) return cached.template;
  const handlebars = Handlebars.create();
  registerHelpers(handlebars);
  for (const file of files) {
    handlebars.registerPartial(basename(file).replace(/\..*$/, ''), readFileSync(file, 'utf8'));
  }
  const compiled = handlebars.compile(readFileSync(path, 'utf8'), { strict: true, noEscape: false });
  const template: Template = (data) => {
    try {
      return compiled(data);
    } catch (error) {
      throw new UserError(E.TemplateError, { path, reason: (error as Error).message }, { cause: error });
    }
  };
  cache.set(key, { mtimeMs, template });
  return template;
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    try {
      newest = Math.max(newest, statSync(path).mtimeMs);
    } catch {
      // A missing partials folder is fine.
    }
  }
  return newest;
}
