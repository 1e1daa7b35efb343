import type { Element, Root } from 'hast';
import { visit } from './visit.ts';

// What a newsletter links to; any other scheme (`javascript:`, `vbscript:`, `data:`, `file:` …)
// is never published. Relative links and `#anchors` have no scheme and stay.
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);

/**
 * Unwraps links whose target could run code or is no place to send a reader (a scheme other than
 * http(s), mailto and tel): the text stays, the link goes — in the email, the web page and the
 * feed alike. `check` reports such a link (rule `link-url`); whatever `build` is asked to do, it
 * never publishes one.
 */
export default function rehypeSafeLinks() {
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'a' || !parent || index === undefined || isSafe(node.properties.href)) return;
      parent.children.splice(index, 1, ...node.children);
      return index;
    });
  };
}

/** True for a link target nyhetsbrev publishes: no scheme (relative, `#anchor`) or a safe one. */
export function isSafe(href: unknown): boolean {
  if (typeof href !== 'string') return true;
  // As a browser reads it: control characters and spaces dropped (`java\tscript:` is javascript:).
  const scheme = /^([a-z][a-z\d+.-]*):/i.exec(href.replace(/[\u0000-\u0020]/g, ''))?.[1];
  return scheme === undefined || SAFE_SCHEMES.has(scheme.toLowerCase());
}
