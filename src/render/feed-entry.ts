import type { Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { issueUrl } from '../assemble/index.ts';
import type { Config } from '../config/schema.ts';
import type { ImageAsset, ParsedIssue } from '../model.ts';
import { copyTree } from './html.ts';
import rehypeDataTables from './rehype-data-tables.ts';
import rehypeImageUrls from './rehype-image-urls.ts';
import rehypeAbsoluteUrls from './rehype-absolute-urls.ts';

/** The feed carries the newest issues only; older ones are in the archive. */
export const FEED_ENTRIES = 20;

/**
 * A feed entry's content: the issue as one HTML fragment (intro, signature, then each section
 * under its `h2`) with absolute URLs. Depends on the issue's own files and the config only.
 */
export function feedEntryHtml(issue: ParsedIssue, config: Config): string {
  const url = issueUrl(issue.id, config);
  const parts = [absoluteHtml(issue.intro.hast, issue.images, url)];
  if (issue.meta.editor) {
    parts.push(`<p><em>${issue.meta.editor.split('\n').map(escapeHtml).join('<br>')}</em></p>`);
  }
  for (const section of issue.sections) {
    parts.push(`<h2 id="${escapeHtml(section.slug)}">${escapeHtml(section.title)}</h2>`);
    parts.push(absoluteHtml(section.body.hast, issue.images, url));
  }
  return parts.join('\n');
}

/** Like `contentHtml` for email (tables, absolute image URLs), plus absolute links and anchors. */
function absoluteHtml(tree: Root, assets: ImageAsset[], url: string): string {
  const copy = copyTree(tree);
  rehypeDataTables()(copy);
  rehypeImageUrls({ assets, base: url })(copy);
  rehypeAbsoluteUrls({ base: url })(copy);
  return toHtml(copy, { allowDangerousHtml: false });
}

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
