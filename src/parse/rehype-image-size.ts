import type { Element, Root } from 'hast';
import { visit } from './visit.ts';
import type { ImageAsset } from '../model.ts';

/**
 * Sets `width` and `height` on images from their intrinsic size, so pages do not shift while
 * loading and Outlook (which ignores CSS sizes) lays them out right. Wide images are scaled to
 * `maxWidth` keeping their aspect ratio. An image's `src` is set back to its asset's key (the
 * path as written): mdast-util-to-hast percent-encodes it (`images/å.png` → `images/%C3%A5.png`),
 * and the key is what the output names are found by.
 */
export default function rehypeImageSize(options: { assets: Map<string, ImageAsset>; maxWidth: number }) {
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element) => {
      if (node.tagName !== 'img' || typeof node.properties.src !== 'string') return;
      const key = assetKey(options.assets, node.properties.src);
      if (key === undefined) return;
      node.properties.src = key;
      const asset = options.assets.get(key);
      if (!asset?.width || !asset.height) return;
      const width = Math.min(asset.width, options.maxWidth);
      node.properties.width = width;
      node.properties.height = Math.round((asset.height * width) / asset.width);
    });
  };
}

function assetKey(assets: Map<string, ImageAsset>, src: string): string | undefined {
  if (assets.has(src)) return src;
  try {
    const decoded = decodeURI(src);
    return assets.has(decoded) ? decoded : undefined;
  } catch {
    return undefined;
  }
}
