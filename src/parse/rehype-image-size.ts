import type { Element, Root } from 'hast';
import { visit } from './visit.ts';
import type { ImageAsset } from '../model.ts';

/**
 * Sets `width` and `height` on images from their intrinsic size, so pages do not shift while
 * loading and Outlook (which ignores CSS sizes) lays them out right. Wide images are scaled to
 * `maxWidth` keeping their aspect ratio.
 */
export default function rehypeImageSize(options: { assets: Map<string, ImageAsset>; maxWidth: number }) {
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element) => {
      if (node.tagName !== 'img' || typeof node.properties.src !== 'string') return;
      const asset = options.assets.get(node.properties.src);
      if (!asset?.width || !asset.height) return;
      const width = Math.min(asset.width, options.maxWidth);
      node.properties.width = width;
      node.properties.height = Math.round((asset.height * width) / asset.width);
    });
  };
}
