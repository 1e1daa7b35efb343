import type { Root } from 'hast';
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
