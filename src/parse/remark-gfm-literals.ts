import type { Root } from 'mdast';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import type { Processor } from 'unified';
import { visit } from './visit.ts';

type Transform = (tree: Root) => Root | null | undefined | void;

const syntax = gfm();
// The mdast side of GFM without its one tree transform (autolink literals), which runs apart.
const fromMarkdown = gfmFromMarkdown().map((extension) => ({ ...extension, transforms: [] }));
const transforms: Transform[] = gfmFromMarkdown().flatMap((extension) => extension.transforms ?? []);

// The email autolink literal is a text construct tried at every letter and digit, as a word may
// be the start of `name@example.org`: it took a third of the parse. Without an `@` it never matches.
const withoutEmail = {
  ...syntax,
  text: Object.fromEntries(
    Object.entries(syntax.text ?? {}).flatMap(([code, constructs]) => {
      const kept = [constructs ?? []].flat().filter((construct) => construct.name !== 'emailAutolink');
      return kept.length > 0 ? [[code, kept]] : [];
    }),
  ),
};

/**
 * GFM as remark-gfm parses it (tables, footnotes, strikethrough, task lists, autolink literals),
 * but at less cost: `emails: false` leaves out email autolink literals — for a file without an
 * `@`, where there is none to find — and the autolink transform of the tree is left to
 * {@link autolinkLiterals}, to run after the parse.
 */
export default function remarkGfmLiterals(this: Processor, options: { emails: boolean }): void {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(options.emails ? syntax : withoutEmail);
  (data.fromMarkdownExtensions ??= []).push(fromMarkdown);
}

/**
 * Turns URLs and email addresses in the text of a tree parsed with {@link remarkGfmLiterals}
 * into links, as remark-gfm does at the end of its parse. Its search (four patterns over every
 * text) runs only when a text could hold one: an `@`, `http://`, `https://` or `www.`.
 */
export function autolinkLiterals(tree: Root): Root {
  let found = false;
  visit(tree, 'text', (node) => {
    found ||= LITERAL.test(node.value);
  });
  return found ? transforms.reduce((current, transform) => transform(current) ?? current, tree) : tree;
}

const LITERAL = /@|https?:\/\/|www\./i;
