import type { Break, Paragraph, PhrasingContent, Root, RootContent, Text } from 'mdast';

/** A closing signature has at most this many lines … */
export const SIGNATURE_MAX_LINES = 6;
/** … of at most this many characters each (a name, a title, an agency). */
export const SIGNATURE_MAX_LINE = 60;

// What may follow the signature at the end of a body: a fact box, footnotes, link definitions.
const TRAILING = new Set(['containerDirective', 'footnoteDefinition', 'definition', 'html']);

/**
 * Keeps the lines of a closing signature. In Markdown a single newline is a space, so
 * "Fredrik Beijer⏎Biträdande direktör⏎Migrationsverket" would run together. The body's last
 * paragraph (before any fact box and footnotes) is taken as a signature when it has 2–6 lines of
 * at most 60 characters each; its newlines become hard line breaks in every output. Elsewhere a
 * newline stays a space, and a hard break is written as usual (a `\` or two spaces at the end of
 * the line).
 */
export default function remarkSignatureBreaks() {
  return (tree: Root): void => {
    const last = closingParagraph(tree.children);
    if (!last || !isSignature(last)) return;
    breakLines(last);
  };
}

function closingParagraph(children: RootContent[]): Paragraph | undefined {
  for (let index = children.length - 1; index >= 0; index--) {
    const node = children[index]!;
    if (TRAILING.has(node.type)) continue;
    return node.type === 'paragraph' ? node : undefined;
  }
  return undefined;
}

function isSignature(paragraph: Paragraph): boolean {
  const { value, soft } = lineText(paragraph);
  const lines = value.split('\n').map((line) => line.trim());
  return (
    soft &&
    lines.length <= SIGNATURE_MAX_LINES &&
    lines.every((line) => Array.from(line).length <= SIGNATURE_MAX_LINE)
  );
}

// The paragraph's text with its line breaks, and whether a text has a newline (a soft break).
function lineText(parent: { children: PhrasingContent[] }): { value: string; soft: boolean } {
  let value = '';
  let soft = false;
  for (const node of parent.children) {
    if (node.type === 'text' || node.type === 'inlineCode') {
      value += node.value;
      soft ||= node.value.includes('\n');
    } else if (node.type === 'break') value += '\n';
    else if (node.type === 'image') value += node.alt ?? '';
    else if ('children' in node) {
      const inner = lineText(node);
      value += inner.value;
      soft ||= inner.soft;
    }
  }
  return { value, soft };
}

// Splits every text at its newlines, with a hard break between the parts (in links and emphasis too).
function breakLines(parent: { children: PhrasingContent[] }): void {
  parent.children = parent.children.flatMap((child): PhrasingContent[] => {
    if (child.type === 'text') return splitText(child);
    if ('children' in child) breakLines(child);
    return [child];
  });
}

function splitText(node: Text): PhrasingContent[] {
  if (!node.value.includes('\n')) return [node];
  const parts = node.value.split(/[ \t]*\n[ \t]*/);
  return parts.flatMap((value, index): PhrasingContent[] => {
    const text: Text = { type: 'text', value };
    const br: Break = { type: 'break' };
    return index === 0 ? [text] : [br, text];
  });
}
