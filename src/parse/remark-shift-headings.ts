import type { Root } from 'mdast';
import { visit } from './visit.ts';

/**
 * Fits headings under the page's outline. In a section (`mode: 'section'`) every heading moves
 * one level down: the issue title is `h1`, section titles `h2`, so `##` becomes `h3`. In the
 * intro (`mode: 'intro'`), which sits right under the `h1`, `#` and `##` become `h2` and deeper
 * levels stay as written, so no level is skipped. Depth is capped at 6.
 */
export default function remarkShiftHeadings(options: { mode: 'section' | 'intro' } = { mode: 'section' }) {
  return (tree: Root): void => {
    visit(tree, 'heading', (node) => {
      const depth = options.mode === 'intro' ? Math.max(2, node.depth) : node.depth + 1;
      node.depth = Math.min(6, depth) as typeof node.depth;
    });
  };
}
