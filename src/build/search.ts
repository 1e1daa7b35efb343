import * as pagefind from 'pagefind';
import type { Writer } from './writer.ts';

/** An HTML page to index: its path under the site root and its content. */
export interface SearchPage {
  path: string;
  html: string;
}

// Pagefind's own UI bundles: the search page ships its own small, accessible UI instead.
const UNUSED = /^pagefind-(ui|modular-ui|component-ui|highlight)\.(js|css)$/;

/**
 * Builds the Pagefind search index of `pages` into `pagefind/` of the site (only the parts of an
 * issue page marked `data-pagefind-body`), with the locale's stemming. Output is content-addressed
 * and was byte-identical between runs in our tests (Pagefind 1.x); pages are added in path order.
 * Throws when Pagefind reports errors: its binary comes from the `@pagefind/<platform>` package.
 */
export async function writeSearchIndex(
  pages: readonly SearchPage[],
  language: string,
  out: Writer,
): Promise<number> {
  try {
    const created = await pagefind.createIndex({ forceLanguage: language });
    if (!created.index) throw new Error(created.errors.join('; '));
    const { index } = created;
    for (const page of [...pages].sort((a, b) => (a.path < b.path ? -1 : 1))) {
      const added = await index.addHTMLFile({
        url: `/${page.path.replace(/index\.html$/, '')}`,
        content: page.html,
      });
      if (added.errors.length > 0) throw new Error(`${page.path}: ${added.errors.join('; ')}`);
    }
    const { files, errors } = await index.getFiles();
    if (errors.length > 0) throw new Error(errors.join('; '));
    const kept = files.filter((file) => !UNUSED.test(file.path)).sort((a, b) => (a.path < b.path ? -1 : 1));
    for (const file of kept) await out.write(`pagefind/${file.path}`, file.content);
    await index.deleteIndex();
    return kept.length;
  } catch (error) {
    throw new Error(`Building the search index with Pagefind failed: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    await pagefind.close();
  }
}
