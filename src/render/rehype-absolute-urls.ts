import type { Element, Root } from 'hast';
import { visit } from '../parse/visit.ts';

/** Attributes that hold a URL, per element, in the content the pipeline produces. */
const URL_ATTRIBUTES: Record<string, string[]> = {
  a: ['href'],
  img: ['src'],
  area: ['href'],
  source: ['src'],
};

/**
 * Resolves every relative link and image URL against `base` (the absolute page URL), so
 * content read outside the site — in a feed reader — still points at the right place:
 * `#fn-1` → `<base>#fn-1`, `../2025-11/` → the other issue's page. Absolute URLs stay as they are.
 */
export default function rehypeAbsoluteUrls(options: { base: string }) {
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element) => {
      for (const attribute of URL_ATTRIBUTES[node.tagName] ?? []) {
        const value = node.properties[attribute];
        if (typeof value !== 'string' || value === '') continue;
        try {
          node.properties[attribute] = new URL(value, options.base).href;
        } catch {
          // Not a URL we can resolve (a broken link is reported by `check`); keep it as written.
        }
      }
    });
  };
}
