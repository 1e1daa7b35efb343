import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { ImageAsset } from '../model.ts';

/**
 * Points images at their content-hashed output: relative (`images/x.1a2b.png`) on web pages, an
 * absolute URL under the base URL in email (mail clients have no page to resolve against).
 */
export default function rehypeImageUrls(options: { assets: ImageAsset[]; base: string | undefined }) {
  const byHref = new Map(options.assets.map((asset) => [asset.href, asset]));
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element) => {
      if (node.tagName !== 'img' || typeof node.properties.src !== 'string') return;
      const asset = byHref.get(node.properties.src);
      if (!asset) return;
      node.properties.src = options.base ? new URL(asset.output, options.base).href : asset.output;
    });
  };
}
