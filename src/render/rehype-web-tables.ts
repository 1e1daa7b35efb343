import type { Element, Root } from 'hast';
import { toText } from 'hast-util-to-text';
import { SKIP, visit } from '../parse/visit.ts';

const ALIGN = new Set(['left', 'center', 'right']);

/**
 * Web-only table markup (email keeps `align`, which mail clients need):
 * - the obsolete `align` of GFM column alignment becomes a class (`align-right` …);
 * - each table sits in a labelled, keyboard-focusable scroll region, so a wide table scrolls
 *   sideways on a narrow screen instead of widening the page (WCAG 1.4.10) and keyboard users
 *   can scroll it (WCAG 2.1.1). `label` starts the region's name; the column headings follow.
 */
export default function rehypeWebTables(options: { label: string }) {
  return (tree: Root): void => {
    visit(tree, 'element', (cell: Element) => {
      if (cell.tagName !== 'th' && cell.tagName !== 'td') return;
      const align = cell.properties.align;
      if (typeof align !== 'string') return;
      delete cell.properties.align;
      if (ALIGN.has(align)) cell.properties.className = [`align-${align}`];
    });
    visit(tree, 'element', (table: Element, index, parent) => {
      if (table.tagName !== 'table' || !parent || index === undefined) return;
      const headings: string[] = [];
      visit(table, 'element', (cell: Element) => {
        if (cell.tagName === 'th') headings.push(toText(cell).trim());
      });
      parent.children[index] = {
        type: 'element',
        // A named <section> is a region landmark: screen readers announce what the stop is.
        tagName: 'section',
        properties: {
          className: ['table-scroll'],
          tabIndex: 0,
          ariaLabel: headings.length > 0 ? `${options.label}: ${headings.join(', ')}` : options.label,
        },
        children: [table],
      };
      return SKIP;
    });
  };
}
