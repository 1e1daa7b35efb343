import type { Element } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';

/** One KB, as Gmail counts it. */
export const KB = 1024;

/** Size limits of an email (DESIGN): Gmail clips messages at ~102 KB and drops `<style>` over 16 KB. */
export const LIMITS = {
  /** Gmail's clipping point: the meter's scale. */
  clip: 102 * KB,
  htmlWarning: 90 * KB,
  htmlError: 100 * KB,
  style: 16 * KB,
} as const;

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

/** `12.3 KB`: bytes as KB with one decimal. */
export function kilobytes(bytes: number): string {
  return `${(bytes / KB).toFixed(1)} KB`;
}
