import type GithubSlugger from 'github-slugger';
import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
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

/** Parses a Markdown file (GFM, YAML front matter, `:::` fact boxes) to mdast. Never throws for content. */
export function parseMarkdown(file: VFile): MdastRoot {
  return (FAST && fastMarkdown(String(file.value))) || micromarkMarkdown(file);
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
