import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import type { Config } from '../config/schema.ts';
import type { LogoImage } from '../theme/load.ts';
import { stringsFor, type Strings } from '../locale.ts';
import { TEMPLATES_DIR } from '../render/templates.ts';

/** Reader-facing strings of `serve` (the `serve` block of templates/locales/*.json). */
export type ServeStrings = Strings['serve'];

/** The page templates of templates/serve/ (each wraps itself in `partials/layout.hbs`). */
export type PageName = 'subscribe' | 'message' | 'action' | 'preferences';

/** A link under a message page. */
export interface PageLink {
  href: string;
  text: string;
}

const SERVE_DIR = join(TEMPLATES_DIR, 'serve');
let compiled: Map<PageName, HandlebarsTemplateDelegate> | undefined;

/**
 * Compiles the page templates once per process, in Handlebars strict mode (a missing field
 * throws). Pages are small and `serve` is long-running, so there is no reload on change.
 */
function templates(): Map<PageName, HandlebarsTemplateDelegate> {
  if (compiled) return compiled;
  const handlebars = Handlebars.create();
  const partials = join(SERVE_DIR, 'partials');
  for (const file of readdirSync(partials).filter((name) => name.endsWith('.hbs'))) {
    handlebars.registerPartial(basename(file, '.hbs'), readFileSync(join(partials, file), 'utf8'));
  }
  compiled = new Map();
  for (const name of ['subscribe', 'message', 'action', 'preferences'] as const) {
    const source = readFileSync(join(SERVE_DIR, `${name}.hbs`), 'utf8');
    compiled.set(name, handlebars.compile(source, { strict: true }));
  }
  return compiled;
}

/** The strings of the config's locale: shared ones (`strings`) and those of serve (`s`). */
export function pageStrings(config: Config): { strings: Strings; s: ServeStrings } {
  const strings = stringsFor(config.locale);
  return { strings, s: strings.serve };
}

/**
 * Renders one page of templates/serve/ to a complete HTML document. `data` holds the page's own
 * fields; the layout's (language, names, archive link, strings) are added here.
 */
export function renderPage(config: Config, name: PageName, title: string, data: object): string {
  const { strings, s } = pageStrings(config);
  const template = templates().get(name)!;
  return template({
    lang: config.locale,
    strings,
    s,
    title,
    newsletter: config.newsletter,
    organisation: config.organisation,
    archiveUrl: config.baseUrl,
    logo: pageLogo(config),
    subscribePage: false,
    ...data,
  });
}

/**
 * The theme's logo as the layout shows it: paths relative to the page (`assets/theme/…`, which
 * `serve` answers from the theme folder), the size shown; undefined without a logo.
 */
function pageLogo(config: Config) {
  const logo = config.theme.logo;
  if (!logo) return undefined;
  const image = ({ path, width, height }: LogoImage) => ({ path, width, height });
  return { alt: logo.alt, light: image(logo.light), dark: image(logo.dark) };
}

/** A page of headings and paragraphs: confirmations of what happened, and every error page. */
export function messagePage(
  config: Config,
  title: string,
  paragraphs: string[],
  links: PageLink[] = [],
): string {
  return renderPage(config, 'message', title, { paragraphs, links });
}

/** Fills `{name}` placeholders of a locale string. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
