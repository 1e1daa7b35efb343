import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { describeIssue } from '../config/yaml-issue.ts';
import { UserError } from '../errors.ts';
import { resolveLogo, type ThemeLogo } from './logo.ts';
import { PALETTE_KEYS, themeSchema, type Palette, type ThemeInput } from './schema.ts';

/** The theme shipped with nyhetsbrev: today's look, and what every theme falls back to. */
export const DEFAULT_THEME_DIR = fileURLToPath(new URL('../../templates/themes/default/', import.meta.url));

/** The partials a theme may give, as `<kind>/<name>` files of its folder. */
export const THEME_PARTIALS = {
  email: ['header.mjml.hbs', 'footer.mjml.hbs'],
  web: ['header.hbs', 'footer.hbs'],
} as const;

/** A resolved theme: every colour set, partial files found, logo measured. Plain data (threads, cache). */
export interface Theme {
  /** The theme's `theme.yml`; undefined for the default theme. */
  file: string | undefined;
  colors: { light: Palette; dark: Palette };
  font: string;
  logo: ThemeLogo | undefined;
  /** Partial files by kind: the theme's own, else the default theme's. */
  partials: { email: string[]; web: string[] };
  /** Line and column of each key the theme file sets (`colors.dark.text`), for `check`. */
  places: Record<string, { line: number; column: number }>;
  /** A hash of every file of the theme, so the build cache sees an edited partial or logo. */
  digest: string;
}

export type { LogoImage, ThemeLogo } from './logo.ts';

let defaults: { input: ThemeInput; digest: string } | undefined;

/**
 * Loads the theme in folder `dir` (the default theme when undefined), every key and partial it
 * leaves out taken from the default theme. Throws `ThemeInvalid` listing every problem of its
 * `theme.yml` with `file:line:col`; `place` is where the config names the folder.
 */
export function loadTheme(dir: string | undefined, place?: string): Theme {
  defaults ??= readTheme(join(DEFAULT_THEME_DIR, 'theme.yml'));
  if (dir === undefined)
    return resolveTheme(undefined, DEFAULT_THEME_DIR, defaults.input, {}, defaults.digest);
  const file = join(dir, 'theme.yml');
  if (!existsSync(file)) {
    throw new UserError('ThemeInvalid', `The theme folder ${dir} has no theme.yml.`, {
      place,
      hint: 'Point `theme:` in nyhetsbrev.yml at a folder with a theme.yml (README → Themes), or remove it for the default look.',
    });
  }
  const { input, digest, places } = readTheme(file);
  return resolveTheme(file, dir, input, places, digest);
}

function readTheme(file: string): { input: ThemeInput; digest: string; places: Theme['places'] } {
  const text = readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const where = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const fail = (problems: string[]) =>
    new UserError('ThemeInvalid', `${file} has ${problems.length} problem(s):\n${problems.join('\n')}`, {
      place: problems.length === 1 ? undefined : file,
      hint: 'See README → Themes for every key of theme.yml and its meaning.',
    });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    throw fail([`  ${where(first.pos[0])} invalid YAML: ${first.message.split('\n')[0]}`]);
  }
  const result = themeSchema.safeParse(doc.toJS() ?? {}, { reportInput: true });
  if (!result.success) throw fail(result.error.issues.map((issue) => describeIssue(issue, doc, where, file)));
  const problems = missingFiles(result.data, file, doc, where);
  if (problems.length > 0) throw fail(problems);
  const places: Theme['places'] = {};
  for (const mode of ['light', 'dark'] as const) {
    for (const key of PALETTE_KEYS) {
      const node: unknown = doc.getIn(['colors', mode, key], true);
      if (isNode(node) && node.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        places[`colors.${mode}.${key}`] = { line, column: col };
      }
    }
  }
  return { input: result.data, digest: createHash('sha256').update(text).digest('hex'), places };
}

// Logo files named in theme.yml that are not in the folder, each at its key's line.
function missingFiles(
  input: ThemeInput,
  file: string,
  doc: ReturnType<typeof parseDocument>,
  where: (offset: number) => string,
): string[] {
  const dir = resolve(file, '..');
  const named: [string[], string | undefined][] = [
    [['logo', 'light'], input.logo?.light],
    [['logo', 'dark'], input.logo?.dark],
    [['logo', 'email', 'light'], input.logo?.email?.light],
    [['logo', 'email', 'dark'], input.logo?.email?.dark],
  ];
  return named.flatMap(([path, name]) => {
    if (name === undefined || existsSync(join(dir, name))) return [];
    const issue = {
      code: 'custom',
      path,
      message: `${name} is not in ${dir}`,
      input: name,
    } as z.core.$ZodIssue;
    return [describeIssue(issue, doc, where, file)];
  });
}

function resolveTheme(
  file: string | undefined,
  dir: string,
  input: ThemeInput,
  places: Theme['places'],
  digest: string,
): Theme {
  const base = defaults!.input;
  const palette = (mode: 'light' | 'dark') => ({ ...base.colors[mode], ...input.colors[mode] }) as Palette;
  const partials = { email: [] as string[], web: [] as string[] };
  const hash = createHash('sha256').update(digest);
  for (const kind of ['email', 'web'] as const) {
    for (const name of THEME_PARTIALS[kind]) {
      const own = join(dir, kind, name);
      const path = existsSync(own) ? own : join(DEFAULT_THEME_DIR, kind, name);
      partials[kind].push(path);
      hash.update(path).update(readFileSync(path));
    }
  }
  if (file) requireUnsubscribeLink(partials.email[1]!);
  const logo = input.logo && resolveLogo(dir, input.logo);
  for (const image of logo ? [logo.light, logo.dark, logo.email.light, logo.email.dark] : []) {
    hash.update(image.path).update(readFileSync(image.source));
  }
  return {
    file,
    colors: { light: palette('light'), dark: palette('dark') },
    font: (input.font ?? base.font)!.replaceAll('"', "'"),
    logo,
    partials,
    places,
    digest: hash.digest('hex'),
  };
}

// The footer is where the email's unsubscribe link is; a theme's footer must keep it (the law
// and the mailbox providers' bulk sender rules ask for one in the body).
function requireUnsubscribeLink(footer: string): void {
  if (readFileSync(footer, 'utf8').includes('unsubscribeUrl')) return;
  throw new UserError('ThemeInvalid', `The theme's email footer ${footer} has no unsubscribe link.`, {
    place: footer,
    hint: 'Keep a link to {{unsubscribeUrl}} in it, as templates/themes/default/email/footer.mjml.hbs does.',
  });
}
