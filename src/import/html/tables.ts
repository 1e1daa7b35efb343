import type { Element } from 'hast';

/** Blocks that make a cell more than a cell: only a table built for layout holds them. */
const LAYOUT_BLOCKS = new Set('h1 h2 h3 h4 h5 h6 table ul ol blockquote'.split(' '));

/**
 * True for a table built for layout (old newsletters are made of them): a cell holds headings,
 * lists, quotes or another table, or more than two paragraphs. A data table's cell has a line or
 * two of text (mammoth wraps every Word cell in a paragraph).
 */
export function hasBlocksInCells(node: Element): boolean {
  const cells: Element[] = [];
  collectCells(node, cells);
  return cells.some((cell) => layoutBlocksIn(cell) > 0 || paragraphsIn(cell) > 2);
}

function layoutBlocksIn(node: Element): number {
  let count = 0;
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    count += LAYOUT_BLOCKS.has(child.tagName) ? 1 : layoutBlocksIn(child);
  }
  return count;
}

function paragraphsIn(node: Element): number {
  let count = 0;
  for (const child of node.children) {
    if (child.type === 'element') count += child.tagName === 'p' ? 1 : paragraphsIn(child);
  }
  return count;
}

/** The cells of a table in reading order (not those of tables inside it). */
export function collectCells(node: Element, cells: Element[]): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === 'td' || child.tagName === 'th') cells.push(child);
    else if (child.tagName !== 'table') collectCells(child, cells);
  }
}

/** True when a cell spans rows or columns. */
export function hasMergedCells(node: Element): boolean {
  const cells: Element[] = [];
  collectCells(node, cells);
  return cells.some(
    (cell) => Number(cell.properties.colSpan ?? 1) > 1 || Number(cell.properties.rowSpan ?? 1) > 1,
  );
}
