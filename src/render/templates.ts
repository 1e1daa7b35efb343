import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { keep, recall, resultKey } from '../cache/results.ts';
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
  const compiled = precompiled(handlebars, path, files) ?? compiledOnUse(handlebars, path, files);
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

// Handlebars writes into the options it is given (`data`, `knownHelpers`, a shared `blockParams`
// stack a failed compile leaves filled): every compile gets a copy.
const OPTIONS = { strict: true, noEscape: false } as const;

type Specification = Parameters<typeof Handlebars.template>[0];

// Handlebars compiles a template and its partials on first use (syntax errors then surface as a
// `TemplateError` naming the template).
function compiledOnUse(handlebars: typeof Handlebars, path: string, partials: readonly string[]) {
  for (const file of partials) handlebars.registerPartial(partialName(file), readFileSync(file, 'utf8'));
  return handlebars.compile(readFileSync(path, 'utf8'), { ...OPTIONS });
}

/**
 * The template and its partials precompiled with the same options — the code Handlebars would
 * generate: the shipped templates' from lib/templates.json (bin/templates.js, made at compile),
 * others' kept in the result cache by their sources (a first render then skips ≈ 0.1 s of
 * compiling). Undefined when one of them is neither (the cache off and a template edited or a
 * theme's), and for a template that does not compile: it is then compiled on use, so the error
 * reads as always.
 */
function precompiled(handlebars: typeof Handlebars, path: string, partials: readonly string[]) {
  try {
    const load = (file: string) => {
      const source = readFileSync(file, 'utf8');
      const spec = shippedSpecs().get(templateKey(source)) ?? cachedSpec(handlebars, source);
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- Handlebars' precompiled form is code
      const specification = (new Function(`return ${spec};`) as () => Specification)();
      return handlebars.template(specification);
    };
    for (const file of partials) handlebars.registerPartial(partialName(file), load(file));
    return load(path);
  } catch {
    return undefined;
  }
}

// A template's precompiled spec from the result cache, made and kept there when missing; throws
// while the cache is off.
function cachedSpec(handlebars: typeof Handlebars, source: string): string {
  const key = resultKey('handlebars', 'strict', source);
  if (key === undefined) throw new Error('no result cache');
  const kept = recall(key);
  if (typeof kept === 'string') return kept;
  // Handlebars' types call the precompiled form an object; it is the source of one.
  const spec = handlebars.precompile(source, { ...OPTIONS }) as unknown as string;
  keep(key, spec);
  return spec;
}

let shipped: Map<string, string> | undefined;

// lib/templates.json, once per process; empty without it (sources run before a compile).
function shippedSpecs(): Map<string, string> {
  if (!shipped) {
    try {
      const specs = JSON.parse(readFileSync(SHIPPED, 'utf8')) as Record<string, string>;
      shipped = new Map(Object.entries(specs));
    } catch {
      shipped = new Map();
    }
  }
  return shipped;
}

const SHIPPED = fileURLToPath(new URL('../../lib/templates.json', import.meta.url));

// As bin/templates.js keys them.
function templateKey(source: string): string {
  return createHash('sha256').update(`strict\0${source}`).digest('hex');
}

function partialName(file: string): string {
  return basename(file).replace(/\..*$/, '');
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
