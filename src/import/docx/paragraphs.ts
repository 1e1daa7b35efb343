import type { Element, Root } from 'hast';
import type { Position } from 'unist';

// U+FFF9…U+FFFB (interlinear annotation marks) never occur in a Word document's text.
const START = '\uFFF9';
const END = '\uFFFB';
const MARKER = /\uFFF9(\d+)\uFFFB/g;

/** The text put at the start of paragraph `number` before mammoth reads the document. */
export function marker(number: number): string {
  return `${START}${number}${END}`;
}

/**
 * Takes the paragraph markers out of mammoth's HTML and gives every node the position
 * `line = paragraph number` (column 1), so that messages made from the tree point at the
 * paragraph. Footnotes and endnotes (mammoth's `footnote-N`/`endnote-N` list) have no paragraph
 * of the body: they get no position. Paragraphs and headings left empty go.
 */
export function placeParagraphs(tree: Root): void {
  let current = 0;
  const visit = (node: Element | Root): number | undefined => {
    const atEntry = current;
    let first: number | undefined;
    node.children = node.children.filter((child) => {
      if (child.type === 'text') {
        for (const match of child.value.matchAll(MARKER)) {
          current = Number(match[1]);
          first ??= current;
        }
        child.value = child.value.replace(MARKER, '');
        child.position = at(current);
        return child.value !== '';
      }
      if (child.type !== 'element') return true;
      if (isNotes(child)) current = 0;
      const inner = visit(child);
      first ??= inner;
      return !(EMPTIED.has(child.tagName) && child.children.length === 0);
    });
    if (node.type === 'element') node.position = at(first ?? atEntry);
    return first;
  };
  visit(tree);
}

const EMPTIED = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li']);

function isNotes(node: Element): boolean {
  if (node.tagName !== 'ol') return false;
  const item = node.children.find((child): child is Element => child.type === 'element');
  return /^(?:footnote|endnote)-/.test(String(item?.properties.id ?? ''));
}

function at(paragraph: number): Position | undefined {
  if (paragraph === 0) return undefined;
  return { start: { line: paragraph, column: 1 }, end: { line: paragraph, column: 1 } };
}
