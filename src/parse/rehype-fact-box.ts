import type { Element, Root } from 'hast';
import { visit } from './visit.ts';

/** True for the `<aside class="fact-box">` that remark-fact-box makes. */
export function isFactBox(node: Element): boolean {
  const className = node.properties.className;
  return node.tagName === 'aside' && Array.isArray(className) && className.includes('fact-box');
}

/**
 * Names each fact box by its heading (`aria-labelledby`), so screen readers announce it as a
 * complementary region with its title. Runs after the headings got their ids.
 */
export default function rehypeFactBox() {
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element) => {
      if (!isFactBox(node)) return;
      const heading = node.children.find(
        (child): child is Element => child.type === 'element' && /^h[2-6]$/.test(child.tagName),
      );
      if (typeof heading?.properties.id === 'string')
        node.properties.ariaLabelledBy = [heading.properties.id];
    });
  };
}
