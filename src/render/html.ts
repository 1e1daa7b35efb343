import type { Nodes, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { ImageAsset } from '../model.ts';
import rehypeDataTables from './rehype-data-tables.ts';
import rehypeImageUrls from './rehype-image-urls.ts';

/**
 * Serialises a content tree to HTML for one output. The shared tree is cloned first, so email and
 * web renders of the same issue never see each other's changes.
 * `base`: absolute URL of the issue folder for email; undefined for web (relative URLs).
 */
export function contentHtml(tree: Root, assets: ImageAsset[], base: string | undefined): string {
  return ownedContentHtml(structuredClone(tree), assets, base);
}

/** {@link contentHtml} of a tree the caller owns (a copy made for this output): changed in place. */
export function ownedContentHtml(tree: Root, assets: ImageAsset[], base: string | undefined): string {
  rehypeDataTables()(tree);
  rehypeImageUrls({ assets, base })(tree);
  return toHtml(tree, { allowDangerousHtml: false });
}

/**
 * A deep copy of a content tree to change for one output, as `structuredClone` makes it but
 * without positions (no output uses them), at a twentieth of its cost: the copies of a page and
 * a feed entry took a tenth of the CPU of compiling an issue.
 */
export function copyTree<T extends Nodes>(node: T): T {
  const copy: Record<string, unknown> = {};
  for (const key in node) {
    if (key === 'position') continue;
    const value: unknown = node[key];
    copy[key] = key === 'children' ? (value as Nodes[]).map(copyTree) : copyData(value);
  }
  return copy as T;
}

function copyData(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyData);
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = copyData((value as Record<string, unknown>)[key]);
  return copy;
}
