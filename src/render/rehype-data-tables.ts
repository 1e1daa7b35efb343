import type { Element, Root } from 'hast';
import { visit } from '../parse/visit.ts';

/**
 * Prepares content HTML for both outputs: content tables get `class="data-table"` (so they are
 * styled, and told apart from layout tables, which carry `role="presentation"`), and table header
 * cells get `scope="col"` for screen readers.
 */
export default function rehypeDataTables() {
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element) => {
      // Layout tables (the email's fact boxes) are not content tables.
      if (node.tagName === 'table' && node.properties.role !== 'presentation') {
        node.properties.className = ['data-table'];
      }
      if (node.tagName === 'th' && node.properties.scope === undefined) node.properties.scope = 'col';
    });
  };
}
