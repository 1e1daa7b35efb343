import type { Root } from 'hast';
import type { ImageAsset } from '../model.ts';
import type { EmailAnchors } from './email-anchors.ts';
import { ownedContentHtml } from './html.ts';
import rehypeAsciiIds from './rehype-ascii-ids.ts';
import rehypeEmailFactBox from './rehype-email-fact-box.ts';

export { emailAnchors, type EmailAnchors } from './email-anchors.ts';

/**
 * The content HTML of an email: like the web page's, with the email's own changes on a copy of
 * the tree — fact boxes as bordered tables, ASCII anchor ids, absolute URLs under `base`.
 */
export function emailContentHtml(
  tree: Root,
  assets: ImageAsset[],
  base: string,
  anchors: EmailAnchors,
): string {
  const copy = structuredClone(tree);
  rehypeEmailFactBox()(copy);
  rehypeAsciiIds({ anchors })(copy);
  return ownedContentHtml(copy, assets, base);
}
