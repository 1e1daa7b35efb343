import type { Root, RootContent } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import { visit } from 'unist-util-visit';
import { stringify } from 'yaml';

/** Front matter of an imported `issue.md`, in the order it is written. */
export interface ImportedFrontMatter {
  title: string;
  date: string;
  editor?: string | undefined;
  subject?: string | undefined;
  preheader?: string | undefined;
  status: 'draft';
}

/**
 * Writes blocks as Markdown the way the issue folders are written by hand: `-` bullets, `*`
 * emphasis, `**` strong, fenced code, GFM tables and footnotes. Raw HTML never reaches this: an
 * `html` node here is a bug in a reader, so it throws rather than pass it through.
 */
export function toMarkdownText(blocks: RootContent[]): string {
  const tree: Root = { type: 'root', children: blocks };
  visit(tree, (node) => {
    if (node.type === 'html')
      throw new Error(`import: raw HTML reached the writer: ${node.value.slice(0, 80)}`);
  });
  tidyTableCells(tree);
  return toMarkdown(tree, {
    bullet: '-',
    emphasis: '*',
    strong: '*',
    rule: '-',
    fences: true,
    listItemIndent: 'one',
    incrementListMarker: true,
    extensions: [gfmToMarkdown()],
  });
}

/** `issue.md`: YAML front matter, then the editorial. */
export function issueFileText(front: ImportedFrontMatter, intro: RootContent[]): string {
  const data = Object.fromEntries(Object.entries(front).filter(([, value]) => value !== undefined));
  const body = intro.length > 0 ? toMarkdownText(intro) : '';
  return `---\n${stringify(data, { lineWidth: 0 })}---\n${body}`;
}

/** A section file: `# Title`, then its blocks. */
export function sectionFileText(title: string, blocks: RootContent[]): string {
  return toMarkdownText([
    { type: 'heading', depth: 1, children: [{ type: 'text', value: title }] },
    ...blocks,
  ]);
}

/** A GFM table cell is one line: hard breaks inside one become spaces. */
function tidyTableCells(tree: Root): void {
  visit(tree, 'tableCell', (cell) => {
    visit(cell, 'break', (_node, index, parent) => {
      if (parent && index !== undefined) parent.children[index] = { type: 'text', value: ' ' };
    });
  });
}
