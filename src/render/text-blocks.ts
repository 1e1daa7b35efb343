import { isSafe } from '../parse/rehype-safe-links.ts';
import type { FootnoteDefinition, Parents, PhrasingContent, Root, RootContent, Table } from 'mdast';
import { visit } from 'unist-util-visit';
import { wrap } from '../text/wrap.ts';

interface State {
  width: number;
  /** Footnote identifier → number, in order of first reference. */
  notes: Map<string, number>;
}

/**
 * Converts a Markdown tree to wrapped plain text: one block per paragraph, list, table or quote,
 * separated by blank lines; footnotes numbered `[1]` in order of reference and listed at the end.
 */
export function mdastToText(tree: Root, { width }: { width: number }): string {
  const state: State = { width, notes: new Map() };
  visit(tree, 'footnoteReference', (node) => {
    if (!state.notes.has(node.identifier)) state.notes.set(node.identifier, state.notes.size + 1);
  });
  const definitions = tree.children.filter(
    (node): node is FootnoteDefinition => node.type === 'footnoteDefinition',
  );
  const blocks = blocksOf(tree.children, state, '', '');
  const used = definitions
    .filter((definition) => state.notes.has(definition.identifier))
    .sort((a, b) => state.notes.get(a.identifier)! - state.notes.get(b.identifier)!);
  for (const definition of used) {
    const label = `[${state.notes.get(definition.identifier)}] `;
    blocks.push(blocksOf(definition.children, state, label, ' '.repeat(label.length)).join('\n'));
  }
  return blocks.join('\n\n');
}

function blocksOf(nodes: RootContent[], state: State, first: string, rest: string): string[] {
  const blocks: string[] = [];
  let prefix = first;
  for (const node of nodes) {
    const text = block(node, state, prefix, rest);
    if (text !== undefined && text !== '') {
      blocks.push(text);
      prefix = rest;
    }
  }
  return blocks;
}

function block(node: RootContent, state: State, first: string, rest: string): string | undefined {
  switch (node.type) {
    case 'paragraph':
      return lines(inline(node.children, state), state, first, rest);
    case 'heading':
      return lines(inline(node.children, state), state, first, rest);
    case 'list': {
      const start = node.start ?? 1;
      return node.children
        .map((item, index) => {
          const marker = node.ordered ? `${start + index}. ` : '- ';
          const check = item.checked === true ? '[x] ' : item.checked === false ? '[ ] ' : '';
          const pad = ' '.repeat(marker.length);
          return blocksOf(item.children, state, `${rest}${marker}${check}`, `${rest}${pad}`).join(
            node.spread ? '\n\n' : '\n',
          );
        })
        .join(node.spread ? '\n\n' : '\n');
    }
    case 'blockquote':
      return blocksOf(node.children, state, `${first}> `, `${rest}> `).join(`\n${rest}>\n`);
    case 'containerDirective':
      // A fact box (remark-fact-box): its heading and text in a margin of "| ".
      return blocksOf(node.children, state, `${first}| `, `${rest}| `).join(`\n${rest}|\n`);
    case 'code':
      return node.value
        .split('\n')
        .map((line) => `${rest}    ${line}`)
        .join('\n');
    case 'table':
      return table(node, state, first, rest);
    case 'thematicBreak':
      return `${first}* * *`;
    default:
      // footnoteDefinition (listed at the end), html (dropped), yaml, definitions.
      return undefined;
  }
}

/** Tables become one line per row: "Header: value · Header: value" (columns do not fit 78). */
function table(node: Table, state: State, first: string, rest: string): string {
  const [head, ...rows] = node.children;
  const headers = head ? head.children.map((cell) => inline(cell.children, state)) : [];
  const out = rows.map((row, index) => {
    const cells = row.children.map((cell, column) => {
      const value = inline(cell.children, state);
      return headers[column] ? `${headers[column]}: ${value}` : value;
    });
    return lines(cells.join(' · '), state, index === 0 ? `${first}- ` : `${rest}- `, `${rest}  `);
  });
  return out.join('\n');
}

function lines(text: string, state: State, first: string, rest: string): string {
  return text
    .split('\n')
    .flatMap((part, index) => wrap(part, state.width, index === 0 ? first : rest, rest))
    .join('\n');
}

function inline(nodes: PhrasingContent[], state: State): string {
  return nodes.map((node) => phrase(node, state)).join('');
}

function phrase(node: PhrasingContent, state: State): string {
  switch (node.type) {
    case 'text':
      // A newline in Markdown is a space, as in the HTML; signatures have hard breaks (remark-signature-breaks).
      return node.value.replace(/[ \t]*\n[ \t]*/g, ' ');
    case 'inlineCode':
      return node.value;
    case 'break':
      return '\n';
    case 'image':
      return node.alt ? `[${node.alt}]` : '';
    case 'link': {
      const text = inline(node.children, state);
      // A link the HTML parts unwrap (rehype-safe-links.ts) is its text here too.
      if (!isSafe(node.url)) return text;
      const url = node.url;
      const bare =
        text === url ||
        `mailto:${text}` === url ||
        text.replace(/^https?:\/\//, '') === url.replace(/^https?:\/\//, '');
      return bare ? url.replace(/^mailto:/, '') : `${text} (${url.replace(/^mailto:/, '')})`;
    }
    case 'footnoteReference':
      return `[${state.notes.get(node.identifier) ?? '?'}]`;
    case 'html':
      return '';
    default:
      return 'children' in node
        ? inline((node as Parents & { children: PhrasingContent[] }).children, state)
        : '';
  }
}
