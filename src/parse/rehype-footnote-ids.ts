import type { Element, Root } from 'hast';
import { visit } from './visit.ts';

/**
 * Makes the footnote label id unique per section: mdast-util-to-hast always writes
 * `id="footnote-label"` (and points `aria-describedby` at it), which would repeat when several
 * sections of one issue have footnotes.
 */
export default function rehypeFootnoteIds(options: { prefix: string }) {
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element) => {
      const { properties } = node;
      if (properties.id === 'footnote-label') properties.id = `${options.prefix}footnote-label`;
      const described = properties.ariaDescribedBy;
      if (Array.isArray(described) && described.includes('footnote-label')) {
        properties.ariaDescribedBy = described.map((id) =>
          id === 'footnote-label' ? `${options.prefix}footnote-label` : id,
        );
      }
    });
  };
}
