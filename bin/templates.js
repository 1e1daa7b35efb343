// The shipped Handlebars templates (templates/**/*.hbs) precompiled by bin/compile.js into
// lib/templates.json — { sha256 of a template's source: Handlebars' precompiled spec } — so a
// first render in a process skips compiling them (src/render/templates.ts looks a template up by
// its source, so an edited template is simply compiled as before). Same options as there.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Where the specs go, relative to the package folder. */
export const SHIPPED_TEMPLATES = 'lib/templates.json';

/**
 * The key of a template's source, as src/render/templates.ts computes it.
 * @param {string} source
 * @returns {string}
 */
export function templateKey(source) {
  return createHash('sha256').update(`strict\0${source}`).digest('hex');
}

/**
 * Precompiles every template of the package's templates/ folder into lib/templates.json.
 * @param {string} root the package folder
 */
export function precompileTemplates(root) {
  const handlebars = requireFrom(root, 'handlebars');
  if (typeof handlebars !== 'object' || handlebars === null || !('precompile' in handlebars)) return;
  const { precompile } = handlebars;
  if (typeof precompile !== 'function') return;
  /** @type {Record<string, string>} */
  const specs = {};
  const folder = join(root, 'templates');
  const entries = existsSync(folder) ? readdirSync(folder, { recursive: true, withFileTypes: true }) : [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.hbs')) continue;
    const source = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    try {
      specs[templateKey(source)] = String(
        Reflect.apply(precompile, handlebars, [source, { strict: true, noEscape: false }]),
      );
    } catch {
      // Not a template of loadTemplate's (or a broken one): compiled on use, as before.
    }
  }
  const path = join(root, SHIPPED_TEMPLATES);
  writeFileSync(`${path}.${process.pid}.tmp`, JSON.stringify(specs));
  renameSync(`${path}.${process.pid}.tmp`, path);
}

/**
 * @param {string} root
 * @param {string} id
 * @returns {unknown}
 */
function requireFrom(root, id) {
  return createRequire(join(root, 'package.json'))(id);
}
