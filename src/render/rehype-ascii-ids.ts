import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { EmailAnchors } from './email-anchors.ts';

/**
 * Email only: rewrites every anchor id of the content, and every reference to one (`href="#…"`,
 * `aria-describedby`, `aria-labelledby`), to its ASCII id from {@link EmailAnchors}.
 */
export default function rehypeAsciiIds(options: { anchors: EmailAnchors }) {
  const { anchors } = options;
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element) => {
      const { properties } = node;
      if (typeof properties.id === 'string') properties.id = anchors(properties.id);
      if (typeof properties.href === 'string' && properties.href.startsWith('#')) {
        properties.href = `#${anchors(properties.href.slice(1))}`;
      }
      for (const key of ['ariaDescribedBy', 'ariaLabelledBy'] as const) {
        const value = properties[key];
        if (Array.isArray(value)) properties[key] = value.map((id) => anchors(String(id)));
      }
    });
  };
}
