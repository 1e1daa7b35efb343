import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';

/**
 * Moves every heading one level down: the issue title is the page's `h1` and section titles are
 * `h2`, so a `##` written inside a section becomes `h3`. Depth is capped at 6.
 */
export default function remarkShiftHeadings() {
  return (tree: Root): void => {
    visit(tree, 'heading', (node) => {
      node.depth = Math.min(6, node.depth + 1) as typeof node.depth;
    });
  };
}
