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
  const out: string[] = [];
  const block = (...lines: string[]) => out.push(...lines, '');
  const para = (text: string) => block(...wrap(text, TEXT_WIDTH));
  const rule = '-'.repeat(TEXT_WIDTH);

  para(`${config.organisation} · ${config.newsletter} · ${issue.meta.monthLabel}`);
  block(`${strings.readInBrowser}:`, issue.url);
  block(...underline(issue.meta.title, '='));
  const intro = mdastToText(issue.intro.mdast, { width: TEXT_WIDTH });
  if (intro) block(intro);
  if (issue.meta.editor) block(...issue.meta.editor.split('\n').flatMap((line) => wrap(line, TEXT_WIDTH)));
  if (issue.toc.length > 0) {
    block(strings.toc.toLocaleUpperCase(strings.intlLocale));
    block(
      ...issue.toc.flatMap((entry, index) =>
        wrap(entry.title, TEXT_WIDTH, `${String(index + 1).padStart(2)}. `, '    '),
      ),
    );
  }
  for (const section of issue.sections) {
    block(rule);
    block(...underline(section.title, '-'));
    const body = mdastToText(section.body.mdast, { width: TEXT_WIDTH });
    if (body) block(body);
    const calendar = calendarUrl(issue, section.slug);
    if (calendar) block(`${strings.addToCalendar}:`, calendar);
  }
  if (issue.teasers.email.length > 0) {
    block(rule);
    block(strings.moreIssues.toLocaleUpperCase(strings.intlLocale));
    for (const teaser of issue.teasers.email) {
      block(
        ...wrap(`${teaser.monthLabel}: ${teaser.title}`, TEXT_WIDTH),
        ...wrap(teaser.excerpt, TEXT_WIDTH),
        teaser.url,
      );
    }
  }
  block(rule);
  para(config.footer);
  // URLs on lines of their own: the unsubscribe token is replaced by a longer URL after wrapping.
  block(`${strings.readInBrowser}:`, issue.url);
  block(`${strings.preferences}:`, TOKENS.preferencesUrl);
  block(`${strings.unsubscribe}:`, TOKENS.unsubscribeUrl);
  return `${out.join('\n').trimEnd()}\n`;
}

function underline(title: string, char: string): string[] {
  const lines = wrap(title, TEXT_WIDTH);
  const longest = Math.min(TEXT_WIDTH, Math.max(...lines.map(length)));
  return [...lines, char.repeat(longest)];
}
