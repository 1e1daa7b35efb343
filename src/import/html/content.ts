import type { Element, ElementContent, Root } from 'hast';
import { select, selectAll } from 'hast-util-select';
import { toText } from 'hast-util-to-text';

/** Elements around the content of a page that are never part of it. */
const CHROME = new Set([
  'header',
  'nav',
  'footer',
  'aside',
  'form',
  'script',
  'style',
  'noscript',
  'template',
]);
/** Elements whose text counts as content when looking for the largest block of it. */
const TEXT_BLOCKS = new Set([
  'p',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'td',
  'th',
  'blockquote',
  'pre',
  'dd',
  'dt',
  'figcaption',
]);
/** Going one level down keeps at least this share of the text: a wrapper, not a part. */
const DESCEND_SHARE = 0.7;

/** The element holding a page's article, and how it was found (for the messages). */
export interface ContentRoot {
  node: Element;
  how: string;
}

/**
 * Finds the article of a saved page: the one `<article>` in `<main>` (or `role=main`), else
 * `<main>` itself, else the page's one `<article>`, else the largest block of text outside
 * header, navigation, footer and asides — going down from `<body>` while a single child holds
 * most of the text.
 */
export function findContent(tree: Root): ContentRoot {
  const main = select('main', tree) ?? select('[role=main]', tree);
  const articles = (scope: Root | Element) =>
    selectAll('article', scope).filter(
      (article) =>
        !selectAll('article', scope).some((other) => other !== article && contains(other, article)),
    );
  if (main) {
    const inMain = articles(main);
    if (inMain.length === 1) return { node: inMain[0]!, how: 'the <article> in <main>' };
    return { node: main, how: main.tagName === 'main' ? '<main>' : 'the element with role="main"' };
  }
  const all = articles(tree);
  if (all.length === 1) return { node: all[0]!, how: 'the page’s <article>' };
  const body = select('body', tree);
  let node: Element = body ?? {
    type: 'element',
    tagName: 'body',
    properties: {},
    children: tree.children as ElementContent[],
  };
  for (;;) {
    const total = contentLength(node);
    const child = node.children
      .filter(
        (candidate): candidate is Element => candidate.type === 'element' && !CHROME.has(candidate.tagName),
      )
      .map((candidate) => ({ candidate, length: contentLength(candidate) }))
      .sort((a, b) => b.length - a.length)[0];
    if (!child || total === 0 || child.length < total * DESCEND_SHARE) break;
    node = child.candidate;
  }
  return { node, how: `the largest block of text (${describe(node)})` };
}

/** Characters of text in paragraphs, list items, headings and cells under `node`, chrome left out. */
function contentLength(node: Element): number {
  if (CHROME.has(node.tagName)) return 0;
  if (TEXT_BLOCKS.has(node.tagName)) return toText(node).trim().length;
  let length = 0;
  for (const child of node.children) if (child.type === 'element') length += contentLength(child);
  return length;
}

function contains(outer: Element, inner: Element): boolean {
  return outer.children.some(
    (child) => child === inner || (child.type === 'element' && contains(child, inner)),
  );
}

/** `<div class="a b">`, `<section id="x">`: an element as a reader finds it in the source. */
export function describe(node: Element): string {
  const id = node.properties.id;
  const className = node.properties.className;
  const classes = Array.isArray(className) ? className.join(' ') : '';
  const attribute = id ? ` id="${String(id)}"` : classes ? ` class="${classes}"` : '';
  return `<${node.tagName}${attribute}>`;
}
