import type { Element, Root } from 'hast';
import { visit } from '../parse/visit.ts';
import type { ImageAsset } from '../model.ts';

/**
 * Points images at their content-hashed output: relative (`images/x.1a2b.png`) on web pages, an
 * absolute URL under the base URL in email (mail clients have no page to resolve against). In
 * email, relative links (`../2025-11/`) are resolved against the page URL too; `#anchors`
 * stay, so the table of contents and footnotes jump within the message.
 */
export default function rehypeImageUrls(options: { assets: ImageAsset[]; base: string | undefined }) {
  const byHref = new Map(options.assets.map((asset) => [asset.href, asset]));
  const { base } = options;
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element) => {
      if (node.tagName === 'a' && base && typeof node.properties.href === 'string') {
        node.properties.href = absoluteLink(node.properties.href, base);
      }
      if (node.tagName !== 'img' || typeof node.properties.src !== 'string') return;
      const asset = byHref.get(node.properties.src);
      if (!asset) return;
      // The output name keeps the file's own name (`å.1a2b.png`): encoded as a URL path.
      node.properties.src = base ? new URL(asset.output, base).href : encodeURI(asset.output);
    });
  };
}

function absoluteLink(href: string, base: string): string {
  if (href === '' || href.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(href)) return href;
  try {
    return new URL(href, base).href;
  } catch {
    return href; // malformed: `check` reports it (link-url)
  }
}
