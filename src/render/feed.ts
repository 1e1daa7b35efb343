import { Feed } from 'feed';
import { issueUrl, type IssueSummary } from '../assemble/index.ts';
import type { Config } from '../config/schema.ts';
import { escapeHtml, FEED_ENTRIES } from './feed-entry.ts';

/**
 * Renders the Atom feed (`feed.xml`) of published issues, newest first, each entry with the
 * issue's full content and every URL absolute under the base URL. Deterministic: `updated` is the
 * newest issue's date, never the time of the build. `content` gives an entry's HTML
 * (`feedEntryHtml`, or that string kept from an earlier build).
 */
export function renderFeed<T extends IssueSummary>(
  issues: readonly T[],
  config: Config,
  content: (issue: T) => string,
): string {
  const newest = issues.slice(0, FEED_ENTRIES);
  const feed = new Feed({
    id: config.baseUrl,
    title: config.newsletter,
    link: config.baseUrl,
    feedLinks: { atom: new URL('feed.xml', config.baseUrl).href },
    language: config.locale,
    updated: dateOf(newest[0]?.meta.date ?? '2000-01-01'),
    generator: 'nyhetsbrev',
    author: { name: config.organisation },
  });
  for (const issue of newest) {
    const url = issueUrl(issue.id, config);
    feed.addItem({
      id: url,
      link: url,
      title: cdataSafe(escapeHtml(issue.meta.title)),
      date: dateOf(issue.meta.date),
      published: dateOf(issue.meta.date),
      description: cdataSafe(escapeHtml(issue.meta.preheader)),
      content: cdataSafe(content(issue)),
      author: [{ name: issue.meta.editor.split('\n')[0] || config.organisation }],
    });
  }
  return `${feed.atom1()}\n`;
}

// Publication dates are days; noon UTC keeps the day the same in every time zone's reading.
function dateOf(date: string): Date {
  return new Date(`${date}T12:00:00Z`);
}

// The feed library writes HTML fields as CDATA sections, which cannot contain `]]>`.
function cdataSafe(html: string): string {
  return html.replaceAll(']]>', ']]&gt;');
}
