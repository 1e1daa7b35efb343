import { DOMParser } from '@xmldom/xmldom';

/** WordprocessingML's main namespace. */
export const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** Parses an XML part of a Word document. */
export function parseXml(text: string): Document {
  return new DOMParser().parseFromString(text, 'text/xml');
}

/** Every element named `name` (qualified, `w:p`) under `node`, in document order. */
export function all(node: Document | Element, name: string): Element[] {
  return Array.from(node.getElementsByTagName(name));
}

/** The nearest ancestor of `node` named `name`, if any. */
export function ancestor(node: Node, name: string): Element | undefined {
  for (let current = node.parentNode; current; current = current.parentNode) {
    if (current.nodeType === 1 && (current as Element).tagName === name) return current as Element;
  }
  return undefined;
}

/** The outermost ancestor of `node` named `name` (a paragraph around a text box's paragraphs). */
export function outermost(node: Node, name: string): Element | undefined {
  let found: Element | undefined;
  for (let current = node.parentNode; current; current = current.parentNode) {
    if (current.nodeType === 1 && (current as Element).tagName === name) found = current as Element;
  }
  return found;
}

/** The text of the `w:t` (or `w:delText`) elements under `node`. */
export function textOf(node: Element, name = 'w:t'): string {
  return all(node, name)
    .map((t) => t.textContent ?? '')
    .join('');
}

/** An attribute by qualified name (`w:val`), or undefined. */
export function attr(node: Element | undefined, name: string): string | undefined {
  const value = node?.getAttribute(name);
  return value === null || value === undefined || value === '' ? undefined : value;
}

/** The first child element named `name`. */
export function child(node: Element | undefined, name: string): Element | undefined {
  if (!node) return undefined;
  for (let current = node.firstChild; current; current = current.nextSibling) {
    if (current.nodeType === 1 && (current as Element).tagName === name) return current as Element;
  }
  return undefined;
}

/** Removes `node` from its parent. */
export function remove(node: Node): void {
  node.parentNode?.removeChild(node);
}
