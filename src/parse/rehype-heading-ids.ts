import { slug } from 'github-slugger';
import type GithubSlugger from 'github-slugger';
import type { Element, Root } from 'hast';
import { toText } from 'hast-util-to-text';
import { visit } from './visit.ts';

/**
 * Gives every sub-heading (`h3`–`h6`) an anchor id from the issue-wide slugger, so ids are unique
 * across all sections of an issue (GitHub-style slugs; Swedish letters are kept).
 */
export default function rehypeHeadingIds(options: { slugger: GithubSlugger }) {
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element) => {
      if (!/^h[2-6]$/.test(node.tagName) || node.properties.id) return;
      if (node.properties.className !== undefined) return; // e.g. the footnote label
      node.properties.id = anchorId(options.slugger, toText(node), 'rubrik');
    });
  };
}

/**
 * The next unique anchor id for `text`; a text with nothing a slug keeps (only emoji, only
 * punctuation) is named `fallback` instead, numbered as usual — never an empty id or `#-1`.
 */
export function anchorId(slugger: GithubSlugger, text: string, fallback: string): string {
  return slugger.slug(slug(text) === '' ? fallback : text);
}
