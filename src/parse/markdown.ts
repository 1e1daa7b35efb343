import type GithubSlugger from 'github-slugger';
import type { Root as HastRoot } from 'hast';
import type { Nodes as MdastNodes, Root as MdastRoot } from 'mdast';
import { toHast } from 'mdast-util-to-hast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { VFile } from 'vfile';
import { fastMarkdown } from './fast-markdown.ts';
import type { Strings } from '../locale.ts';
import type { ImageAsset } from '../model.ts';
import rehypeSafeLinks from './rehype-safe-links.ts';
import rehypeFactBox from './rehype-fact-box.ts';
import rehypeFootnoteIds from './rehype-footnote-ids.ts';
import rehypeHeadingIds from './rehype-heading-ids.ts';
import rehypeImageSize from './rehype-image-size.ts';
import remarkContainerDirectives from './remark-container-directives.ts';
import remarkGfmLiterals, { autolinkLiterals, gfmNeeds, type GfmNeeds } from './remark-gfm-literals.ts';
import { report } from '../report/message.ts';

// `NYHETSBREV_FAST_PARSE=off` parses every file with micromark (to compare, or should the fast
// path ever read a file differently).
const FAST = process.env.NYHETSBREV_FAST_PARSE !== 'off';

const parser = (needs: GfmNeeds) =>
  unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkGfmLiterals, needs)
    .use(remarkContainerDirectives);
// One parser for each set of GFM constructs a file can need, made when first used.
const parsers = new Map<string, ReturnType<typeof parser>>();

/**
 * Parses a Markdown file (GFM, YAML front matter, `:::` fact boxes) to mdast. Never throws for
 * content: a file nested deeper than {@link MAX_DEPTH} (block quotes in block quotes, lists in
 * lists …) gets an error (rule `read`) and an empty tree — every later stage walks trees by
 * recursion, and thousands of levels overflowed the stack (exit 70) in micromark or after it.
 */
export function parseMarkdown(file: VFile): MdastRoot {
  const text = String(file.value);
  // A line opening more containers than that is refused unread: micromark takes seconds on a
  // few thousand list markers in one line (`- - - - … x`), before any tree could be measured.
  const line = lineOfDeepMarkers(text);
  if (line !== undefined) return tooDeep(file, { line, column: 1 });
  let tree: MdastRoot;
  try {
    tree = (FAST && fastMarkdown(text)) || micromarkMarkdown(file);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return tooDeep(file, undefined);
  }
  const deepest = deepestNode(tree);
  return deepest ? tooDeep(file, deepest.position?.start) : tree;
}

/** Levels of nesting a Markdown file may have (a newsletter's deepest are a handful). */
export const MAX_DEPTH = 100;

function tooDeep(file: VFile, place: { line: number; column: number } | undefined): MdastRoot {
  report(file, `Unexpected nesting deeper than ${MAX_DEPTH} levels, expected plain sections`, {
    ruleId: 'read',
    place: place ?? { line: 1, column: 1 },
    hint: 'Block quotes, lists or emphasis are nested inside each other too deeply (a marker repeated by mistake?); nyhetsbrev does not read such a file.',
  });
  return { type: 'root', children: [] };
}

// Block quote and list markers that open a line, each starting a container inside the last.
const MARKER = /[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))/y;

/** The first line (1-based) that opens more than MAX_DEPTH containers, if any. */
function lineOfDeepMarkers(text: string): number | undefined {
  let line = 1;
  for (let start = 0; start < text.length; line++) {
    let markers = 0;
    MARKER.lastIndex = start;
    while (MARKER.exec(text) && ++markers <= MAX_DEPTH) continue;
    if (markers > MAX_DEPTH) return line;
    const end = text.indexOf('\n', start);
    if (end < 0) break;
    start = end + 1;
  }
  return undefined;
}

// The first node deeper than MAX_DEPTH, found without recursion (the walk must not overflow either).
function deepestNode(tree: MdastRoot): MdastNodes | undefined {
  const stack: [MdastNodes, number][] = [[tree, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, depth] = next;
    if (depth > MAX_DEPTH) return node;
    if ('children' in node) for (const child of node.children) stack.push([child, depth + 1]);
  }
  return undefined;
}

/** {@link parseMarkdown} without the fast path: every file through micromark. */
export function micromarkMarkdown(file: VFile): MdastRoot {
  const needs = gfmNeeds(String(file.value));
  const key = `${needs.emails} ${needs.tables}`;
  let chosen = parsers.get(key);
  if (!chosen) parsers.set(key, (chosen = parser(needs)));
  return autolinkLiterals(chosen.parse(file));
}

/** Options for {@link markdownToHast}. */
export interface ToHastOptions {
  /** Prefix for footnote ids, unique per section (e.g. `kalendarium-`). */
  prefix: string;
  slugger: GithubSlugger;
  strings: Strings;
  assets: Map<string, ImageAsset>;
  /** Heading level of the "Fotnoter" label: one below the part's own heading. */
  labelTag: 'h2' | 'h3';
}

/**
 * Converts a section's mdast to hast: footnotes with localised labels and per-section ids,
 * sub-heading anchors, fact boxes named by their headings, image sizes. Raw HTML is dropped (remark-no-html warns about it).
 */
export function markdownToHast(tree: MdastRoot, file: VFile, options: ToHastOptions): HastRoot {
  const hast = toHast(tree, {
    clobberPrefix: options.prefix,
    footnoteLabel: options.strings.footnotes,
    footnoteLabelTagName: options.labelTag,
    footnoteLabelProperties: { className: ['footnotes-label'] },
    footnoteBackLabel: (index: number) => `${options.strings.footnoteBack} ${index + 1}`,
  }) as HastRoot;
  rehypeSafeLinks()(hast);
  rehypeFootnoteIds({ prefix: options.prefix })(hast);
  rehypeHeadingIds({ slugger: options.slugger })(hast);
  rehypeFactBox()(hast);
  // 552 px = the 600 px email column less its padding.
  rehypeImageSize({ assets: options.assets, maxWidth: 552 })(hast);
  void file;
  return hast;
}
