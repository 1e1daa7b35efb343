import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { formatYamlProblem, locateYaml, parseYaml, validateYaml, type ParsedYaml } from '../yaml.ts';
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
    throw new UserError(E.ThemeMissing, { dir }, { place });
  }
  const { input, digest, places } = readTheme(file);
  return resolveTheme(file, dir, input, places, digest);
}

function readTheme(file: string): { input: ThemeInput; digest: string; places: Theme['places'] } {
  const text = readFileSync(file, 'utf8');
  const yaml = parseYaml(text);
  const fail = (problems: string[]) =>
    new UserError(E.ThemeProblems, { file, problems }, { place: problems.length === 1 ? undefined : file });
  if (yaml.error) {
    const { line, column, message } = yaml.error;
    throw fail([`  ${file}:${line}:${column} invalid YAML: ${message}`]);
  }
  const result = validateYaml(yaml, themeSchema);
  if (!result.success) throw fail(result.problems.map((problem) => formatYamlProblem(file, problem)));
  const problems = missingFiles(result.data, file, yaml);
  if (problems.length > 0) throw fail(problems);
  const places: Theme['places'] = {};
  for (const mode of ['light', 'dark'] as const) {
    for (const key of PALETTE_KEYS) {
      const { exact, line, column } = locateYaml(yaml, ['colors', mode, key]);
      if (exact) places[`colors.${mode}.${key}`] = { line, column };
    }
  }
  return { input: result.data, digest: createHash('sha256').update(text).digest('hex'), places };
}

// Logo files named in theme.yml that are not in the folder, each at its key's line.
function missingFiles(input: ThemeInput, file: string, yaml: ParsedYaml): string[] {
  const dir = resolve(file, '..');
  const named: [string[], string | undefined][] = [
    [['logo', 'light'], input.logo?.light],
    [['logo', 'dark'], input.logo?.dark],
    [['logo', 'email', 'light'], input.logo?.email?.light],
    [['logo', 'email', 'dark'], input.logo?.email?.dark],
  ];
  return named.flatMap(([path, name]) => {
    if (name === undefined || existsSync(join(dir, name))) return [];
    const position = locateYaml(yaml, path);
    return [formatYamlProblem(file, { key: path.join('.'), message: `${name} is not in ${dir}`, position })];
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
  throw new UserError(E.ThemeFooterWithoutUnsubscribe, { footer }, { place: footer });
}
