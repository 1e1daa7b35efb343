import type { Element, Root } from 'hast';
import { SKIP, visit } from 'unist-util-visit';
import { isFactBox } from '../parse/rehype-fact-box.ts';

/**
 * Email only: a fact box becomes a one-cell layout table with a border (`.fact-box-cell`, inlined
 * from the email styles). Outlook for Windows draws borders and padding reliably only on table
 * cells, and mail clients differ on `<aside>`; the heading inside still names the box.
 */
export default function rehypeEmailFactBox() {
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (!isFactBox(node) || !parent || index === undefined) return;
      const cell: Element = {
        type: 'element',
        tagName: 'td',
        properties: { className: ['fact-box-cell'] },
        children: node.children,
      };
      parent.children[index] = {
        type: 'element',
        tagName: 'table',
        properties: {
          role: 'presentation',
          className: ['fact-box'],
          width: '100%',
          cellPadding: '0',
          cellSpacing: '0',
          border: '0',
        },
        children: [{ type: 'element', tagName: 'tr', properties: {}, children: [cell] }],
      };
      return SKIP;
    });
  };
}
