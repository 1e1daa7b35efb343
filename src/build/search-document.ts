import { createHash } from 'node:crypto';
import type { SearchPage } from './search-shards.ts';

/**
 * A page as the index sees it: its path, the SHA-256 of its search document
 * ({@link searchDocument}), and the document itself, made when Pagefind needs it — for a page
 * kept from an earlier build, the digest comes from that build's record (`src/cache/outputs.ts`).
 */
export interface IndexedPage {
  path: string;
  digest: string;
  document: () => string;
}

/** The page `page` as the index sees it (see {@link IndexedPage}). */
export function indexedPage(page: SearchPage, language: string): IndexedPage {
  const document = searchDocument(page.html, language);
  return { path: page.path, digest: sha256(document), document: () => document };
}

const BODY_START = '<article data-pagefind-body>';
const BODY_END = '</article>';

/**
 * What Pagefind is given of an issue page: `<html lang><body>` around its one
 * `<article data-pagefind-body>` element, when nothing else on the page carries a `data-pagefind`
 * attribute; otherwise the whole page. Pagefind reads nothing else of such a page, so the index is
 * the same (byte for byte, test/web/search.test.ts) — but the search documents do not change when
 * a teaser or the pager of the page does, so neither does the shard's key. The article ends at the
 * page's last `</article>`: what follows it in the template is escaped text (Handlebars), while
 * inside it attribute values may hold anything.
 */
export function searchDocument(html: string, language: string): string {
  const start = html.indexOf(BODY_START);
  const end = html.lastIndexOf(BODY_END);
  if (start < 0 || end < start) return html;
  const outside = html.slice(0, start) + html.slice(end);
  if (outside.includes('data-pagefind')) return html;
  return `<html lang="${language}"><body>${html.slice(start, end + BODY_END.length)}</body></html>`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
