import { calendarUrl } from '../assemble/calendar.ts';
import type { Config } from '../config/schema.ts';
import { stringsFor } from '../locale.ts';
import type { Issue } from '../model.ts';
import { TEXT_WIDTH, length, wrap } from '../text/wrap.ts';
import { mdastToText } from './text-blocks.ts';
import { TOKENS } from './personalise.ts';

/**
 * Renders the plain-text part from the syntax trees (not scraped from HTML): headings underlined,
 * paragraphs wrapped at 78 characters, lists, links as "text (URL)", footnotes numbered per
 * section. Recipient tokens stay in place, like in the HTML.
 */
export function renderText(issue: Issue, config: Config): string {
  const strings = stringsFor(config.locale);
  const blocks = [
    ...opening(issue, config, strings),
    ...contents(issue, strings),
    ...issue.sections.flatMap((section) => [
      [RULE],
      underline(section.title, '-'),
      mdastToText(section.body.mdast, { width: TEXT_WIDTH }),
      calendarLines(issue, section.slug, strings),
    ]),
    ...teasers(issue, strings),
    [RULE],
    wrap(config.footer, TEXT_WIDTH),
    // URLs on lines of their own: the unsubscribe token is replaced by a longer URL after wrapping.
    [`${strings.readInBrowser}:`, issue.url],
    [`${strings.preferences}:`, TOKENS.preferencesUrl],
    [`${strings.unsubscribe}:`, TOKENS.unsubscribeUrl],
  ];
  // Each block is followed by an empty line; an empty block (no intro, no calendar) is left out.
  const lines = blocks.flatMap((block) => {
    const text = typeof block === 'string' ? [block].filter(Boolean) : block;
    return text.length > 0 ? [...text, ''] : [];
  });
  return `${lines.join('\n').trimEnd()}\n`;
}

type Strings = ReturnType<typeof stringsFor>;
// A block of lines, or a text that is one (empty: no block).
type Block = string[] | string;

const RULE = '-'.repeat(TEXT_WIDTH);

/** Masthead line, the browser link, the title, the intro and the editor's signature. */
function opening(issue: Issue, config: Config, strings: Strings): Block[] {
  return [
    wrap(`${config.organisation} · ${config.newsletter} · ${issue.meta.monthLabel}`, TEXT_WIDTH),
    [`${strings.readInBrowser}:`, issue.url],
    underline(issue.meta.title, '='),
    mdastToText(issue.intro.mdast, { width: TEXT_WIDTH }),
    issue.meta.editor ? issue.meta.editor.split('\n').flatMap((line) => wrap(line, TEXT_WIDTH)) : [],
  ];
}

/** The table of contents, numbered. */
function contents(issue: Issue, strings: Strings): Block[] {
  if (issue.toc.length === 0) return [];
  return [
    [strings.toc.toLocaleUpperCase(strings.intlLocale)],
    issue.toc.flatMap((entry, index) =>
      wrap(entry.title, TEXT_WIDTH, `${String(index + 1).padStart(2)}. `, '    '),
    ),
  ];
}

function calendarLines(issue: Issue, slug: string, strings: Strings): string[] {
  const calendar = calendarUrl(issue, slug);
  return calendar ? [`${strings.addToCalendar}:`, calendar] : [];
}

/** Earlier issues: month and title, excerpt, link. */
function teasers(issue: Issue, strings: Strings): Block[] {
  if (issue.teasers.email.length === 0) return [];
  return [
    [RULE],
    [strings.moreIssues.toLocaleUpperCase(strings.intlLocale)],
    ...issue.teasers.email.map((teaser) => [
      ...wrap(`${teaser.monthLabel}: ${teaser.title}`, TEXT_WIDTH),
      ...wrap(teaser.excerpt, TEXT_WIDTH),
      teaser.url,
    ]),
  ];
}

function underline(title: string, char: string): string[] {
  const lines = wrap(title, TEXT_WIDTH);
  const longest = Math.min(TEXT_WIDTH, Math.max(...lines.map(length)));
  return [...lines, char.repeat(longest)];
}
