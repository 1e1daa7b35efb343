import type { BlockContent, FootnoteDefinition, List, ListItem, Paragraph, Root, RootContent } from 'mdast';
import { parseInline } from './fast-inline.ts';
import { Source, Unsupported } from './fast-source.ts';

// Anywhere after the front matter: control characters (tabs, CR), character references,
// indented or trailing-space lines (indented code, hard breaks, lazy continuations) and what a
// GFM table needs (`|`, `:-`, `-:`).
const UNSUPPORTED = /[\0-\x09\x0b-\x1f\x7f|\ufeff]|&#?[A-Za-z0-9]+;|^ | $|:-|-:/m;
const HEADING = /^(#{1,6}) (?=[^ ]).*[^#]$/;
const BULLET = /^- (?=[^ ])/;
const ORDERED = /^(\d{1,9})\. (?=[^ ])/;
const CONTAINER = /^:::([a-z][a-z0-9]*)(?:\[([^[\]\n]+)\])?$/;
// Footnote labels are at most 999 characters (micromark's limit for labels).
const DEFINITION = /^\[\^([A-Za-z0-9-]{1,999})\]: (?=[^ ])/;
// First lines of a paragraph that micromark could read as something else: a block quote, a list
// or thematic break, a setext underline, a container directive, a definition, a task.
const NOT_PARAGRAPH = /^(?:[>#=+:-]|\*(?: |$|\*(?: |$|\*))|\d{1,9}[.)](?: |$)|\[(?:[^\]]*\]:|[ xX]\]))/;

/**
 * The mdast of plain newsletter Markdown — front matter, `#` headings, paragraphs, tight `-` and
 * `1.` lists of one-line items, one-line footnote definitions, and the inline forms of
 * {@link parseInline} — exactly as micromark with GFM and remark-frontmatter makes it (positions
 * included), at a tenth of the cost. Undefined for anything else: the caller parses with micromark.
 */
export function fastMarkdown(text: string): Root | undefined {
  try {
    return parseBlocks(new Source(text));
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

interface Line {
  text: string;
  from: number;
}

function parseBlocks(source: Source): Root {
  const { text } = source;
  const lines: Line[] = source.starts.map((from, index) => ({
    from,
    text: text.slice(from, (source.starts[index + 1] ?? text.length + 1) - 1),
  }));
  const children: RootContent[] = [];
  const index = frontMatter(source, lines, children);
  if (UNSUPPORTED.test(text.slice(lines[index]?.from ?? text.length)))
    throw new Unsupported('tabs, CR, character references, indentation, trailing spaces or a table');
  const defined = new Set<string>();
  for (const line of lines.slice(index)) {
    const match = DEFINITION.exec(line.text);
    if (match) defined.add(match[1]!.toLowerCase());
  }
  children.push(...new Blocks(source, lines, defined).flow(index, lines.length, true));
  if (children.length === 0) throw new Unsupported('an empty document');
  return { type: 'root', children, position: source.position(0, text.length) };
}

// The YAML front matter as remark-frontmatter reads it; returns the index of the first line after.
function frontMatter(source: Source, lines: Line[], children: RootContent[]): number {
  if (!source.text.startsWith('---')) return 0;
  if (lines[0]!.text !== '---') throw new Unsupported('a first line that starts with `---`');
  const close = lines.findIndex((line, index) => index > 0 && line.text.startsWith('---'));
  if (close < 0 || lines[close]!.text !== '---' || /[\0\r\ufeff]/.test(source.text))
    throw new Unsupported('front matter without a plain closing `---`');
  const end = lines[close]!.from + 3;
  const value = close === 1 ? '' : source.text.slice(lines[1]!.from, lines[close]!.from - 1);
  children.push({ type: 'yaml', value, position: source.position(0, end) });
  return close + 1;
}

class Blocks {
  // The lines of the flow being read end here (a container's closing fence, or the document's end).
  private limit: number;

  constructor(
    private readonly source: Source,
    private readonly lines: Line[],
    private readonly defined: Set<string>,
  ) {
    this.limit = lines.length;
  }

  /** The blocks of lines [index, limit); containers only at the top (`root`). */
  flow(index: number, limit: number, root: boolean): RootContent[] {
    const outer = this.limit;
    this.limit = limit;
    const children: RootContent[] = [];
    while (index < limit) {
      const line = this.lines[index]!;
      if (line.text === '') index++;
      else if (HEADING.test(line.text)) children.push(this.heading(index++));
      else if (BULLET.test(line.text) || ORDERED.test(line.text)) index = this.list(index, children);
      else if (DEFINITION.test(line.text)) children.push(this.definition(index++));
      else if (root && CONTAINER.test(line.text)) index = this.container(index, children);
      else index = this.paragraph(index, children);
    }
    this.limit = outer;
    return children;
  }

  /** A fact box (`:::name[label]` … `:::`); returns the index of the line after its closing fence. */
  container(index: number, children: RootContent[]): number {
    const open = this.lines[index]!;
    const [, name, label] = CONTAINER.exec(open.text)!;
    let close = index + 1;
    while (close < this.lines.length && !this.lines[close]!.text.startsWith(':')) {
      // A definition in a fact box counts for calls after it only: left to micromark.
      if (DEFINITION.test(this.lines[close]!.text))
        throw new Unsupported('a footnote definition in a container');
      close++;
    }
    if (this.lines[close]?.text !== ':::') throw new Unsupported('a container without a plain closing `:::`');
    const inner = this.flow(index + 1, close, false);
    if (label !== undefined) {
      const from = open.from + 3 + name!.length;
      const content = parseInline(this.source, from + 1, from + 1 + label.length, this.defined, true);
      const position = this.source.position(from, from + label.length + 2);
      inner.unshift({ type: 'paragraph', data: { directiveLabel: true }, children: content, position });
    }
    if (inner.length === 0) throw new Unsupported('an empty container');
    const end = this.lines[close]!;
    const position = this.source.position(open.from, end.from + 3);
    children.push({
      type: 'containerDirective',
      name: name!,
      attributes: {},
      children: inner,
      position,
    } as RootContent);
    return close + 1;
  }

  private line(index: number): Line | undefined {
    return index < this.limit ? this.lines[index] : undefined;
  }

  heading(index: number): RootContent {
    const line = this.lines[index]!;
    const marks = HEADING.exec(line.text)![1]!;
    const from = line.from + marks.length + 1;
    const children = parseInline(this.source, from, line.from + line.text.length, this.defined);
    const depth = marks.length as 1 | 2 | 3 | 4 | 5 | 6;
    return { type: 'heading', depth, children, position: this.at(line) };
  }

  /** A paragraph and the lines that continue it; returns the index of the line after it. */
  paragraph(index: number, children: RootContent[]): number {
    const first = this.lines[index]!;
    let last = first;
    let next = index;
    for (;;) {
      if (NOT_PARAGRAPH.test(this.lines[next]!.text))
        throw new Unsupported('a line that is not plain paragraph text');
      last = this.lines[next++]!;
      const line = this.line(next)?.text;
      // What may end a paragraph here: a blank line, a heading, a list (only `1.` interrupts).
      if (line === undefined || line === '' || HEADING.test(line) || BULLET.test(line)) break;
      if (line.startsWith('1. ') && ORDERED.test(line)) break;
    }
    children.push(this.inlineParagraph(first.from, last.from + last.text.length));
    return next;
  }

  /** Consecutive one-line items of one kind; returns the index of the line after the list. */
  list(index: number, children: RootContent[]): number {
    const first = this.lines[index]!;
    const ordered = !BULLET.test(first.text);
    const marker = ordered ? ORDERED : BULLET;
    const items: ListItem[] = [];
    let next = index;
    for (; this.line(next) && marker.test(this.line(next)!.text); next++) {
      const line = this.lines[next]!;
      const content = line.from + marker.exec(line.text)![0].length;
      if (NOT_PARAGRAPH.test(line.text.slice(content - line.from)))
        throw new Unsupported('a list item that is not plain paragraph text');
      const paragraph = this.inlineParagraph(content, line.from + line.text.length);
      items.push({
        type: 'listItem',
        spread: false,
        checked: null,
        children: [paragraph],
        position: this.at(line),
      });
    }
    let after = next;
    while (after < this.limit && this.lines[after]!.text === '') after++;
    const following = this.line(after);
    // Lazy continuations, or a blank line inside the list (loose), are left to micromark.
    if (this.line(next) && this.line(next)!.text !== '')
      throw new Unsupported('a lazy continuation of a list item');
    if (following && marker.test(following.text))
      throw new Unsupported('a list with a blank line between items');
    const start = ordered ? Number.parseInt(ORDERED.exec(first.text)![1]!, 10) : null;
    const last = this.lines[next - 1]!;
    const position = this.source.position(first.from, last.from + last.text.length);
    children.push({ type: 'list', ordered, start, spread: false, children: items, position } satisfies List);
    return next;
  }

  definition(index: number): FootnoteDefinition {
    const line = this.lines[index]!;
    const [marker, label] = DEFINITION.exec(line.text)!;
    const next = this.line(index + 1)?.text;
    if (next !== undefined && next !== '' && !DEFINITION.test(next))
      throw new Unsupported('a footnote definition of more than one line');
    const content = line.from + marker.length;
    if (NOT_PARAGRAPH.test(line.text.slice(marker.length)))
      throw new Unsupported('a footnote definition that is not plain paragraph text');
    const paragraph: BlockContent = this.inlineParagraph(content, line.from + line.text.length);
    const identifier = label!.toLowerCase();
    return {
      type: 'footnoteDefinition',
      identifier,
      label: label!,
      children: [paragraph],
      position: this.at(line),
    };
  }

  private inlineParagraph(from: number, to: number): Paragraph {
    const children = parseInline(this.source, from, to, this.defined);
    return { type: 'paragraph', children, position: this.source.position(from, to) };
  }

  private at(line: Line) {
    return this.source.position(line.from, line.from + line.text.length);
  }
}
