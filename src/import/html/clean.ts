import type { Element, ElementContent, Parents } from 'hast';
import { toText } from 'hast-util-to-text';
import { quote, type Messages } from '../messages.ts';
import { FOOTNOTE_DEF, FOOTNOTE_REF } from './footnotes.ts';
import { linkList, withoutContentsLists } from './furniture.ts';
import { leftOut, leftOutLinkList } from './left-out.ts';
import { link } from './links.ts';
import { collectCells, hasBlocksInCells, hasMergedCells } from './tables.ts';

/** Elements kept as they are: they have a Markdown form. */
const KEEP = new Set(
  (
    'p h1 h2 h3 h4 h5 h6 ul ol li dl dt dd blockquote pre code kbd samp var table thead tbody tfoot tr th td ' +
    `a img em i strong b del s strike br hr q figure figcaption ${FOOTNOTE_REF} ${FOOTNOTE_DEF}`
  ).split(' '),
);
/** Elements unwrapped (their content kept) without loss: grouping and meaning Markdown lacks. */
const UNWRAP = new Set(
  (
    'div section article main header footer address span center details summary small abbr cite dfn time data ' +
    'ins bdi bdo picture label hgroup nobr tt'
  ).split(' '),
);
/** Formatting Markdown has no form for: the text is kept, the formatting reported. */
const FORMATTING: Record<string, string> = {
  u: 'underline',
  mark: 'highlighting',
  sup: 'superscript',
  sub: 'subscript',
  font: 'font',
  big: 'large text',
  blink: 'blinking',
  marquee: 'scrolling text',
};

/** Options of {@link cleanContent}. */
export interface CleanOptions {
  /** Base for relative links (`<base>`, the canonical address), when the source states one. */
  base: string | undefined;
  /** Word documents: mammoth's own markup only, so no note on hidden or unknown elements. */
  word?: boolean;
}

/**
 * Reduces the content of a page to what Markdown can say, in place, reporting every loss:
 * furniture (navigation, forms) with a note, embedded content (iframes, video, objects, SVG)
 * and formatting (underline, colour, inline styles, superscript) with a warning and the place.
 * Unknown elements are unwrapped, hidden ones left out. Links to places in the page are unwrapped
 * (their anchors do not survive), script links dropped, relative links made absolute when the
 * page states its address. What remains has a Markdown form, so no raw HTML can pass through.
 */
export function cleanContent(root: Parents, messages: Messages, options: CleanOptions): void {
  const children = (root.children as (ElementContent | { type: 'doctype' })[]).filter(
    (node): node is ElementContent => node.type !== 'doctype',
  );
  root.children = cleanChildren(children, messages, options);
}

function cleanChildren(
  children: ElementContent[],
  messages: Messages,
  options: CleanOptions,
): ElementContent[] {
  return withoutContentsLists(children, messages).flatMap((node) => {
    if (node.type === 'comment') return [];
    if (node.type !== 'element') return [node];
    return cleanElement(node, messages, options);
  });
}

function cleanElement(node: Element, messages: Messages, options: CleanOptions): ElementContent[] {
  if (leftOut(node, messages)) return [];
  const tag = node.tagName;
  const at = node.position?.start;
  if (tag === 'aside')
    return linkList(node) ? leftOutLinkList(node, messages) : unwrap(node, messages, options);
  if (tag === 'table') return table(node, messages, options);
  reportStyle(node, messages);
  if (tag in FORMATTING) {
    messages.add(`${capitalise(FORMATTING[tag]!)} of ${quote(toText(node))} left out; the text is kept`, {
      ruleId: 'formatting',
      place: at,
      repeatKey: `formatting-${tag}`,
    });
    return unwrap(node, messages, options);
  }
  if (tag === 'a') return link(node, cleanChildren(node.children, messages, options), messages, options.base);
  if (tag === 'caption')
    return [
      { ...node, tagName: 'p', properties: {}, children: cleanChildren(node.children, messages, options) },
    ];
  if (UNWRAP.has(tag)) return unwrap(node, messages, options);
  if (!KEEP.has(tag)) {
    if (!options.word) {
      messages.add(`Unknown element <${tag}> was unwrapped; its text is kept`, {
        ruleId: 'left-out',
        severity: 'info',
        place: at,
        repeatKey: `unknown-${tag}`,
      });
    }
    return unwrap(node, messages, options);
  }
  node.properties = keptProperties(node);
  node.children = cleanChildren(node.children, messages, options);
  return [node];
}

function unwrap(node: Element, messages: Messages, options: CleanOptions): ElementContent[] {
  const children = cleanChildren(node.children, messages, options);
  // A block wrapper keeps its blocks apart; an inline one (span) joins its text to its neighbours.
  return BLOCKISH.has(node.tagName)
    ? [{ type: 'element', tagName: 'div', properties: {}, children }]
    : children;
}

const BLOCKISH = new Set(
  'div section article main header footer address center details summary aside hgroup figure'.split(' '),
);

/**
 * A table holding paragraphs, headings, lists or other tables is layout (old newsletters are
 * built of them), not data: its cells are unwrapped in reading order. A data table keeps its
 * rows; merged cells are split, with a warning.
 */
function table(node: Element, messages: Messages, options: CleanOptions): ElementContent[] {
  const layout =
    node.properties.role === 'presentation' || node.properties.role === 'none' || hasBlocksInCells(node);
  if (layout) {
    messages.add('A layout table was unwrapped: its cells are kept as text in reading order', {
      ruleId: 'table',
      severity: 'info',
      place: node.position?.start,
      repeatKey: 'layout-table',
    });
    const cells: Element[] = [];
    collectCells(node, cells);
    return cells.flatMap((cell) => unwrap({ ...cell, tagName: 'div' }, messages, options));
  }
  if (hasMergedCells(node)) {
    messages.add('Table with merged cells: Markdown tables have none, so they were split; check the table', {
      ruleId: 'table',
      place: node.position?.start,
    });
  }
  reportStyle(node, messages);
  const caption = node.children.find(
    (child): child is Element => child.type === 'element' && child.tagName === 'caption',
  );
  const rows = {
    ...node,
    properties: {},
    children: cleanChildren(
      node.children.filter((child) => child !== caption),
      messages,
      options,
    ),
  };
  return caption ? [...cleanElement(caption, messages, options), rows] : [rows];
}

function reportStyle(node: Element, messages: Messages): void {
  const style = typeof node.properties.style === 'string' ? node.properties.style.trim() : '';
  const color = node.properties.color ?? node.properties.bgColor;
  if (!style && color === undefined) return;
  const colour = /(?:^|;)\s*(?:color|background(?:-color)?)\s*:/i.test(style) || color !== undefined;
  messages.add(
    `${colour ? 'Colour' : 'Inline style'} \`${style || `color="${String(color)}"`}\` on <${node.tagName}> left out`,
    {
      ruleId: colour ? 'formatting' : 'inline-style',
      place: node.position?.start,
      repeatKey: colour ? 'colour' : 'style',
    },
  );
}

/** The attributes a kept element needs in Markdown; everything else (style, class, ids) goes. */
function keptProperties(node: Element): Element['properties'] {
  const { src, alt, title, start, dataId, align, dataSrc, dataOriginal } = node.properties;
  const kept: Element['properties'] = {};
  // Lazy-loading pages put the image in data-src (or data-original) and a placeholder in src.
  const image = dataSrc ?? dataOriginal ?? src;
  if (image !== undefined && image !== null) kept.src = String(image);
  if (alt !== undefined) kept.alt = alt;
  if (title !== undefined) kept.title = title;
  if (start !== undefined) kept.start = start;
  if (dataId !== undefined) kept.dataId = dataId;
  if (align !== undefined && (node.tagName === 'td' || node.tagName === 'th')) kept.align = align;
  return kept;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
