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

/** Which GFM constructs a file can need (see {@link gfmNeeds}). */
export interface GfmNeeds {
  emails: boolean;
  tables: boolean;
}

/**
 * What a file's text rules out, cheaply:
 * - emails: the email autolink literal is a text construct tried at every letter and digit, as a
 *   word may be the start of `name@example.org` — it took a third of the parse; without an `@` it
 *   never matches;
 * - tables: the table is a flow construct tried at the start of every line (each line of a
 *   paragraph is scanned as a possible head row, ≈ 10 % of the parse); a table's delimiter row
 *   holds a `|`, or a `:` next to its dashes (`:-`, `-:`), so without any of those there is none.
 */
export function gfmNeeds(text: string): GfmNeeds {
  return { emails: text.includes('@'), tables: /\||:-|-:/.test(text) };
}

type Extension = ReturnType<typeof gfm>;
type Constructs = NonNullable<Extension['flow']>[number];

// GFM's syntax without the constructs of the given names.
function without(names: string[]): Extension {
  const keep = (constructs: Constructs) =>
    [constructs ?? []].flat().filter((construct) => !names.includes(construct.name ?? ''));
  const strip = (map: Extension['flow']) =>
    Object.fromEntries(
      Object.entries(map ?? {}).flatMap(([code, constructs]) => {
        const kept = keep(constructs);
        return kept.length > 0 ? [[code, kept]] : [];
      }),
    );
  return { ...syntax, flow: strip(syntax.flow), text: strip(syntax.text) };
}

/**
 * GFM as remark-gfm parses it (tables, footnotes, strikethrough, task lists, autolink literals),
 * but at less cost: the constructs a file cannot need ({@link gfmNeeds}) are left out, and the
 * autolink transform of the tree is left to {@link autolinkLiterals}, to run after the parse.
 */
export default function remarkGfmLiterals(this: Processor, needs: GfmNeeds): void {
  const data = this.data();
  const names = [...(needs.emails ? [] : ['emailAutolink']), ...(needs.tables ? [] : ['table'])];
  (data.micromarkExtensions ??= []).push(names.length > 0 ? without(names) : syntax);
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
