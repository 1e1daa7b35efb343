import type { PhrasingContent } from 'mdast';
import { Unsupported, type Source } from './fast-source.ts';

// A dot in the domain is followed by a letter or digit, else the address ends before it.
const EMAIL = /[A-Za-z0-9][A-Za-z0-9.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9][A-Za-z0-9-]*)+/g;
// Where an email address may start and end for the fast path (GFM's own rules allow more).
const BEFORE = /^[ \n(]?$/;
const AFTER = /^(?:[ \n),;:!?]|\.(?![A-Za-z0-9]))?$/;
// What GFM's autolink literals would make a link of besides an address: `https://…`, `www.…`.
const BARE_URL = /:\/\/|www\./i;

/** Text that GFM's autolink literals may turn into a link: an address or a URL. */
export const LITERAL = /@|:\/\/|www\./i;

/**
 * The text `text[from, to)` as micromark's GFM makes it: text, with each email address that
 * stands plainly between spaces, brackets or closing punctuation as a `mailto:` link (its
 * position included). Throws {@link Unsupported} for bare URLs (`www.`, `https://`), an address
 * inside a link's text, and any other `@`.
 */
export function textWithLiterals(
  source: Source,
  from: number,
  to: number,
  inLink: boolean,
): PhrasingContent[] {
  const value = source.text.slice(from, to);
  if (BARE_URL.test(value)) throw new Unsupported('a URL in text');
  // Text between addresses: every `@` must be in one of them.
  const text = (start: number, end: number): PhrasingContent[] => {
    if (end <= start) return [];
    const part = source.text.slice(start, end);
    if (part.includes('@')) throw new Unsupported('an `@` that is not in a plain email address');
    return [{ type: 'text', value: part, position: source.position(start, end) }];
  };
  if (!value.includes('@')) return text(from, to);
  if (inLink) throw new Unsupported('an address in a link');
  const nodes: PhrasingContent[] = [];
  let at = from;
  for (const match of value.matchAll(EMAIL)) {
    const start = from + match.index;
    const end = start + match[0].length;
    const plain =
      BEFORE.test(source.text.slice(start - 1, start)) &&
      AFTER.test(source.text.slice(end, end + 1)) &&
      /[A-Za-z]$/.test(match[0]);
    if (!plain) throw new Unsupported('an email address GFM may read differently');
    const position = source.position(start, end);
    const label: PhrasingContent = { type: 'text', value: match[0], position };
    nodes.push(...text(at, start), {
      type: 'link',
      title: null,
      url: `mailto:${match[0]}`,
      children: [label],
      position,
    });
    at = end;
  }
  nodes.push(...text(at, to));
  return nodes;
}
