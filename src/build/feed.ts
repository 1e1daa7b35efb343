import type { Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { Feed } from 'feed';
import { issueUrl } from '../assemble/index.ts';
import type { Config } from '../config/schema.ts';
import type { ImageAsset, ParsedIssue } from '../model.ts';
import rehypeDataTables from '../render/rehype-data-tables.ts';
import rehypeImageUrls from '../render/rehype-image-urls.ts';
import rehypeAbsoluteUrls from './rehype-absolute-urls.ts';

/** The feed carries the newest issues only; older ones are in the archive. */
export const FEED_ENTRIES = 20;

/**
 * Renders the Atom feed (`feed.xml`) of published issues, newest first, each entry with the
 * issue's full content and every URL absolute under the base URL. Deterministic: `updated` is the
 * newest issue's date, never the time of the build.
 */
export function renderFeed(issues: readonly ParsedIssue[], config: Config): string {
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
      content: cdataSafe(entryContent(issue, url)),
      author: [{ name: issue.meta.editor || config.organisation }],
    });
  }
  return `${feed.atom1()}\n`;
}

/** The issue as one HTML fragment: intro, signature, then each section under its `h2`. */
function entryContent(issue: ParsedIssue, url: string): string {
  const parts = [absoluteHtml(issue.intro.hast, issue.images, url)];
  if (issue.meta.editor) parts.push(`<p><em>${escapeHtml(issue.meta.editor)}</em></p>`);
  for (const section of issue.sections) {
    parts.push(`<h2 id="${escapeHtml(section.slug)}">${escapeHtml(section.title)}</h2>`);
    parts.push(absoluteHtml(section.body.hast, issue.images, url));
  }
  return parts.join('\n');
}

/** Like `contentHtml` for email (tables, absolute image URLs), plus absolute links and anchors. */
function absoluteHtml(tree: Root, assets: ImageAsset[], url: string): string {
  const copy = structuredClone(tree);
  rehypeDataTables()(copy);
  rehypeImageUrls({ assets, base: url })(copy);
  rehypeAbsoluteUrls({ base: url })(copy);
  return toHtml(copy, { allowDangerousHtml: false });
}

// Publication dates are days; noon UTC keeps the day the same in every time zone's reading.
function dateOf(date: string): Date {
  return new Date(`${date}T12:00:00Z`);
}

// The feed library writes HTML fields as CDATA sections, which cannot contain `]]>`.
function cdataSafe(html: string): string {
  return html.replaceAll(']]>', ']]&gt;');
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
