export { KB, kilobytes, LIMITS } from './limits.ts';

/** Sizes of a rendered email in bytes: the whole HTML and its `<style>` blocks together. */
export interface EmailSizes {
  html: number;
  style: number;
}

// `<!--` … `-->` (conditional comments for Outlook hold `<style>` too, and count as comments, as
// an HTML parser reads them), or a `<style …>` start tag: the elements whose text is measured.
const COMMENT_OR_STYLE = /<!--[^]*?-->|<style(?=[\s/>])[^>]*>/gi;
const STYLE_END = /<\/style(?=[\s/>])/gi;

/**
 * Measures the email's HTML and the content of its `<style>` elements (UTF-8 bytes) as an HTML
 * parser reads them: a style element's text runs to the first `</style`, and styles inside
 * comments are not elements. A scan, not a parse: the email's whole tree is not needed for this.
 */
export function emailSizes(html: string): EmailSizes {
  let style = 0;
  COMMENT_OR_STYLE.lastIndex = 0;
  for (let match = COMMENT_OR_STYLE.exec(html); match; match = COMMENT_OR_STYLE.exec(html)) {
    if (match[0].startsWith('<!--')) continue;
    STYLE_END.lastIndex = COMMENT_OR_STYLE.lastIndex;
    const end = STYLE_END.exec(html);
    const stop = end ? end.index : html.length;
    style += Buffer.byteLength(html.slice(COMMENT_OR_STYLE.lastIndex, stop));
    COMMENT_OR_STYLE.lastIndex = stop;
  }
  return { html: Buffer.byteLength(html), style };
}
