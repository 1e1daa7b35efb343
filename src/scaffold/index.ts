import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { stringify } from 'yaml';
import type { Config } from '../config/schema.ts';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { ISSUE_ID } from '../read/index.ts';
import { TEMPLATES_DIR } from '../render/templates.ts';
import { addDays, monthId, nextMonth, publicationDate, systemClock, type Clock } from './dates.ts';

export { publicationDate, systemClock, type Clock } from './dates.ts';

/** Signature written when the config has no `editor:`. */
export const EDITOR_PLACEHOLDER = 'Förnamn Efternamn, titel';

/** Options of {@link scaffoldIssue}. */
export interface ScaffoldOptions {
  issuesDir: string;
  config: Config;
  /** The issue id; default: the month after the newest issue, and not before this month. */
  id?: string | undefined;
  clock?: Clock;
  /** Folder holding `new/` (default: the shipped templates). */
  templatesDir?: string;
}

/** What `new` created. */
export interface ScaffoldResult {
  id: string;
  dir: string;
  date: string;
  /** File names written in `dir`. */
  files: string[];
  /** True when the config had no `editor:` and a placeholder signature was written. */
  editorPlaceholder: boolean;
}

/**
 * Creates the next issue folder from `templates/new/`: front matter filled (title placeholder, the
 * usual publication date, the editor from config, `status: draft`), an intro placeholder and a
 * "Kalendarium" section. Refuses to touch an existing folder (`IssueExists`).
 */
export async function scaffoldIssue(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const issuesDir = resolve(options.issuesDir);
  const existing = await existingIds(issuesDir);
  const id = options.id ?? nextIssueId(existing, options.clock ?? systemClock);
  if (!ISSUE_ID.test(id) || !validMonth(id)) {
    throw new UserError(E.IssueIdInvalid, { id });
  }
  const dir = join(issuesDir, id);
  const data = scaffoldData(id, options.config);
  const rendered = await renderScaffold(data, options.templatesDir);
  await mkdir(issuesDir, { recursive: true });
  try {
    await mkdir(dir); // not recursive: fails when the folder exists, even if created a moment ago
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new UserError(E.NewIssueExists, { id, dir, next: nextMonth(id) }, { cause: error });
  }
  for (const { name, text } of rendered) await writeFile(join(dir, name), text, { flag: 'wx' });
  return {
    id,
    dir,
    date: data.date,
    files: rendered.map(({ name }) => name),
    editorPlaceholder: options.config.editor === undefined,
  };
}

/** What the templates of `templates/new/` get for issue `id`. */
export function scaffoldData(id: string, config: Config) {
  const date = publicationDate(id);
  const month = swedish(date, { month: 'long' });
  return {
    title: `Rubrik för ${month} ${id.slice(0, 4)} – skriv om mig`,
    date,
    editor: config.editor ?? EDITOR_PLACEHOLDER,
    month,
    firstDate: swedish(secondTuesday(nextMonth(id)), { day: 'numeric', month: 'long' }),
    nextIssueDate: swedish(publicationDate(nextMonth(id)), { day: 'numeric', month: 'long' }),
  };
}

/**
 * Renders every template of `templates/new/` (issue.md first, then the sections in file order).
 * `helpers` replace the shipped ones for this render (see `scaffoldPlaceholders`).
 */
export async function renderScaffold(
  data: object,
  templatesDir = TEMPLATES_DIR,
  helpers: Record<string, Handlebars.HelperDelegate> = {},
): Promise<{ name: string; text: string }[]> {
  const templates = join(templatesDir, 'new');
  const names = (await readdir(templates))
    .filter((name) => name.endsWith('.hbs'))
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  return Promise.all(
    names.map(async (name) => ({
      name: name.replace(/\.hbs$/, ''),
      text: render(await readFile(join(templates, name), 'utf8'), data, helpers),
    })),
  );
}

/** The id `new` picks: the month after the newest issue, but not before the clock's month. */
export function nextIssueId(existing: readonly string[], clock: Clock): string {
  const now = clock.now();
  const thisMonth = monthId(now.getFullYear(), now.getMonth() + 1);
  const newest = existing
    .map((id) => id.slice(0, 7))
    .sort()
    .at(-1);
  const next = newest ? nextMonth(newest) : thisMonth;
  return next > thisMonth ? next : thisMonth;
}

async function existingIds(issuesDir: string): Promise<string[]> {
  try {
    const entries = await readdir(issuesDir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() && ISSUE_ID.test(entry.name))
      .map((entry) => entry.name);
  } catch {
    return []; // no issues folder yet: the first issue creates it
  }
}

const rank = (name: string) => (name === 'issue.md.hbs' ? 0 : 1);

// A month 01–12 of a year JavaScript's dates take as written (0–99 would be 1900–1999) and whose
// next month is still a four-digit year.
function validMonth(id: string): boolean {
  const year = Number(id.slice(0, 4));
  const month = Number(id.slice(5, 7));
  return year >= 1900 && year <= 9998 && month >= 1 && month <= 12;
}

/** A date in Swedish words ("17 december"): the scaffold's placeholders are Swedish. */
function swedish(date: string, format: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat('sv-SE', { ...format, timeZone: 'UTC' }).format(
    new Date(`${date}T12:00:00Z`),
  );
}

/** The second Tuesday of month `YYYY-MM`: a plausible date for the Kalendarium example. */
function secondTuesday(id: string): string {
  const first = `${id.slice(0, 7)}-01`;
  const weekday = new Date(`${first}T12:00:00Z`).getUTCDay();
  return addDays(first, ((2 - weekday + 7) % 7) + 7);
}

// Markdown and YAML, not HTML: no escaping; strict, so a misspelt field fails loudly.
const handlebars = Handlebars.create();
handlebars.registerHelper('yaml', (value: unknown) => stringify(String(value)).trimEnd());
// `{{#placeholder}}…{{/placeholder}}` marks text the editor must replace (rule `placeholder`).
handlebars.registerHelper('placeholder', function (this: unknown, options: Handlebars.HelperOptions) {
  return options.fn(this);
});

function render(template: string, data: object, helpers: Record<string, Handlebars.HelperDelegate>): string {
  return handlebars.compile(template, { strict: true, noEscape: true })(data, { helpers });
}
