import type { Element } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';

export { KB, kilobytes, LIMITS } from './limits.ts';

/** Sizes of a rendered email in bytes: the whole HTML and its `<style>` blocks together. */
export interface EmailSizes {
  html: number;
  style: number;
}

/** Measures the email's HTML and the content of its `<style>` elements (UTF-8 bytes). */
export function emailSizes(html: string): EmailSizes {
  let style = 0;
  visit(fromHtml(html), 'element', (node: Element) => {
    if (node.tagName !== 'style') return;
    for (const child of node.children) if (child.type === 'text') style += Buffer.byteLength(child.value);
  });
  return { html: Buffer.byteLength(html), style };
}
