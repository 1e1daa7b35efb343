import type { PhrasingContent } from 'mdast';
import { Unsupported, type Source } from './fast-source.ts';
import { LITERAL, textWithLiterals } from './fast-literals.ts';

// Characters after which micromark may read something else than text: escapes, code, HTML and
// autolinks, strikethrough, `_` emphasis (its intraword rules), brackets that are not a link,
// image or footnote call of the simple forms below. Any of them sends the file to micromark.
const NOT_TEXT = /[\\`<~_\]]/;
const LINK = /\[([^[\]\n]+)\]\(([^\s()<>\\]+)(?: "([^"\n\\]*)")?\)/y;
const IMAGE = /!\[([^[\]\n*]+)\]\(([^\s()<>\\]+)(?: "([^"\n\\]*)")?\)/y;
const CALL = /\[\^([A-Za-z0-9-]{1,999})\](?![[(:])/y;
const MAX_OPEN = 32;
const PUNCTUATION = /^[!-/:-@[-`{-~]$/;
const WORD = /^[\p{L}\p{N}]$/u;

type Item =
  | { kind: 'text'; from: number; to: number }
  | { kind: 'node'; node: PhrasingContent; from: number; to: number }
  | { kind: 'run'; from: number; to: number; closer?: number };

/**
 * Phrasing content of `text[from, to)` as micromark and mdast-util-from-markdown make it, for
 * text, `*`/`**` emphasis that nests plainly, `[text](url "title")`, `![alt](url)` and footnote
 * calls to `defined` labels, email addresses (see `textWithLiterals`; `inLink`: inside a link's
 * text or a label). Throws {@link Unsupported} for anything else.
 */
export function parseInline(
  source: Source,
  from: number,
  to: number,
  defined: Set<string>,
  inLink = false,
): PhrasingContent[] {
  const { text } = source;
  const items: Item[] = [];
  const openers: number[] = [];
  let i = from;
  let plain = from;
  const flush = (end: number) => {
    if (end > plain) items.push({ kind: 'text', from: plain, to: end });
  };
  while (i < to) {
    const char = text[i]!;
    if (char === '*') {
      let end = i + 1;
      while (end < to && text[end] === '*') end++;
      flush(i);
      items.push(attention(source, i, end, items.length, openers, items));
      plain = i = end;
    } else if (char === '[' || (char === '!' && text[i + 1] === '[')) {
      flush(i);
      const atom = bracket(source, i, defined);
      if (atom.to > to) throw new Unsupported('a link running past its paragraph');
      items.push({ kind: 'node', ...atom });
      plain = i = atom.to;
    } else if (NOT_TEXT.test(char)) {
      throw new Unsupported('escape, code, HTML, strikethrough, `_` or a stray `]`');
    } else i++;
  }
  flush(to);
  return build(source, items, 0, items.length, inLink);
}

function attention(
  source: Source,
  from: number,
  to: number,
  index: number,
  openers: number[],
  items: Item[],
): Item {
  if (to - from > 2) throw new Unsupported('a run of three or more `*`');
  const before = kind(source.text[from - 1]);
  const after = kind(source.text[to]);
  const left = after !== 'space' && (after !== 'punctuation' || before !== 'word');
  const right = before !== 'space' && (before !== 'punctuation' || after !== 'word');
  if (left && right) throw new Unsupported('a `*` run that can both open and close');
  if (left) {
    // Deeper nesting than prose ever has would only make the tree walk deep.
    if (openers.length >= MAX_OPEN) throw new Unsupported('emphasis nested too deep');
    openers.push(index);
    return { kind: 'run', from, to };
  }
  const open = openers.at(-1);
  if (right && open !== undefined) {
    const opener = items[open] as Extract<Item, { kind: 'run' }>;
    // Nested plainly or not at all: other cases follow the spec's rule of three and partial runs.
    if (opener.to - opener.from !== to - from) throw new Unsupported('emphasis runs of unequal length');
    opener.closer = index;
    openers.pop();
  }
  return { kind: 'text', from, to };
}

function kind(char: string | undefined): 'space' | 'punctuation' | 'word' {
  if (char === undefined || char === ' ' || char === '\n') return 'space';
  if (PUNCTUATION.test(char)) return 'punctuation';
  if (WORD.test(char)) return 'word';
  // Unicode punctuation and symbols changed between CommonMark versions: leave them to micromark.
  throw new Unsupported('Unicode punctuation or a symbol next to `*`');
}

function bracket(
  source: Source,
  at: number,
  defined: Set<string>,
): { node: PhrasingContent; from: number; to: number } {
  const { text } = source;
  const pattern = text[at] === '!' ? IMAGE : text[at + 1] === '^' ? CALL : LINK;
  pattern.lastIndex = at;
  const match = pattern.exec(text);
  if (!match) throw new Unsupported('a bracket that is not a plain link, image or footnote call');
  const to = at + match[0].length;
  const position = source.position(at, to);
  if (pattern === CALL) {
    const label = match[1]!;
    if (!defined.has(label.toLowerCase())) throw new Unsupported('a call of an undefined footnote');
    return {
      node: { type: 'footnoteReference', identifier: label.toLowerCase(), label, position },
      from: at,
      to,
    };
  }
  const url = match[2]!;
  // An empty title is none, as micromark has it.
  const title = match[3] || null;
  if (pattern === IMAGE) {
    const alt = match[1]!;
    if (LITERAL.test(alt) || NOT_TEXT.test(alt) || LITERAL.test(title ?? ''))
      throw new Unsupported('an image alt or title that is not plain');
    return { node: { type: 'image', title, url, alt, position }, from: at, to };
  }
  if (LITERAL.test(title ?? '')) throw new Unsupported('a link title with a URL or address');
  const children = parseInline(source, at + 1, at + 1 + match[1]!.length, defined, true);
  return { node: { type: 'link', title, url, children, position }, from: at, to };
}

// Items [start, end) as nodes: matched runs become emphasis or strong, adjacent text merges.
function build(
  source: Source,
  items: Item[],
  start: number,
  end: number,
  inLink: boolean,
): PhrasingContent[] {
  const nodes: PhrasingContent[] = [];
  let textFrom = -1;
  let textTo = -1;
  const endText = () => {
    if (textFrom < 0) return;
    nodes.push(...textWithLiterals(source, textFrom, textTo, inLink));
    textFrom = -1;
  };
  for (let index = start; index < end; index++) {
    const item = items[index]!;
    if (item.kind === 'run' && item.closer !== undefined) {
      endText();
      const closer = items[item.closer]!;
      const children = build(source, items, index + 1, item.closer, inLink);
      const type = item.to - item.from === 2 ? 'strong' : 'emphasis';
      nodes.push({ type, children, position: source.position(item.from, closer.to) });
      index = item.closer;
    } else if (item.kind === 'node') {
      endText();
      nodes.push(item.node);
    } else {
      if (textFrom < 0) textFrom = item.from;
      textTo = item.to;
    }
  }
  endText();
  return nodes;
}
