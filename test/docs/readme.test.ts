import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { README, regenerate } from '../../scripts/readme.ts';
import { PARSE_RULES, RULES } from '../../src/check/index.ts';
import { CATALOG_PARTS, E } from '../../src/errors/catalog.ts';
import { ERROR_NAMES, ERROR_TITLES } from '../../src/errors/names.ts';

describe('README.md', () => {
  const readme = readFileSync(README, 'utf8');

  it('holds the generated parts as the code makes them now (run `npm run readme` after changing them)', () => {
    expect(readme).toBe(regenerate(readme));
  });

  it('lists every check rule with its description and severities in the rule table', () => {
    for (const rule of [...PARSE_RULES, ...RULES]) {
      expect(readme).toContain(`| \`${rule.id}\` | ${rule.description} | ${rule.severity.join(' / ')} |`);
    }
  });
});

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every TypeScript file of src/ outside the catalog, by its path under src/. */
function sources(): Map<string, string> {
  const files = readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !relative(SRC, file).startsWith('errors'));
  return new Map(files.map((file) => [relative(SRC, file), readFileSync(file, 'utf8')]));
}

/**
 * True when a UserError's first argument is a catalog entry: `E.X`, `{ ...E.X, name }`, or
 * `MAP[key]` where the file defines `const MAP = { key: E.X, … }` of entries only.
 */
function fromCatalog(first: string, text: string): boolean {
  if (/^(\{ \.\.\.)?E\.\w+/.test(first)) return true;
  const map = /^([A-Z_]+)\[/.exec(first)?.[1];
  const body = map && new RegExp(`const ${map} = \\{([^}]*)\\}`).exec(text)?.[1];
  return Boolean(body?.trim() && body.split(',').every((line) => /^\s*(\w+: E\.\w+)?\s*$/.test(line)));
}

describe('the error catalog', () => {
  const code = sources();
  const all = [...code.values()].join('\n');

  it('has every entry raised somewhere in src/ (`E.<key>`), and no key twice', () => {
    const unraised = Object.keys(E).filter((key) => !new RegExp(`\\bE\\.${key}\\b`).test(all));
    expect(unraised).toEqual([]);
    const parts = CATALOG_PARTS.reduce((sum, part) => sum + Object.keys(part).length, 0);
    expect(Object.keys(E)).toHaveLength(parts);
  });

  it('is where every UserError of src/ comes from: no site builds its own name or message', () => {
    const own = [...code].flatMap(([file, text]) => {
      const sites = [...text.matchAll(/new UserError\(\s*([^,]*)/g)].map((m) => m[1]!);
      if (/extends UserError\b/.test(text))
        sites.push(...[...text.matchAll(/super\(\s*([^,]*)/g)].map((m) => m[1]!));
      return sites.filter((first) => !fromCatalog(first, text)).map((first) => `${file}: ${first}`);
    });
    expect(own).toEqual([]);
  });

  it('gives every entry a hint: what to do next', () => {
    const without = Object.entries(E as Record<string, { hint?: unknown }>)
      .filter(
        ([, entry]) => !(typeof entry.hint === 'function' || (typeof entry.hint === 'string' && entry.hint)),
      )
      .map(([key]) => key);
    expect(without).toEqual([]);
  });

  it('lists only names some entry carries, and every name an entry carries', () => {
    const carried = new Set<string>(Object.values(E).map((entry) => entry.name));
    expect(ERROR_NAMES.filter((name) => !carried.has(name))).toEqual([]);
    expect([...carried].filter((name) => !(name in ERROR_TITLES))).toEqual([]);
  });

  it('is what README lists in its troubleshooting table, one row per name', () => {
    const readme = readFileSync(README, 'utf8');
    const table = readme.slice(readme.indexOf('## Troubleshooting'), readme.indexOf('## Development'));
    const listed = [...table.matchAll(/^\| `(\w+)` \| (.*) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(listed).toEqual(ERROR_NAMES.map((name) => [name, ERROR_TITLES[name]]));
  });
});
