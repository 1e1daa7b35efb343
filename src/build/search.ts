import * as pagefind from 'pagefind';
import type { Writer } from './writer.ts';

/** An HTML page to index: its path under the site root and its content. */
export interface SearchPage {
  path: string;
  html: string;
}

/** A search index being built by Pagefind (see {@link startSearchIndex}). */
export interface PendingSearchIndex {
  /** Waits for Pagefind, writes `pagefind/` into `out`; returns the number of files written. */
  finish(out: Writer): Promise<number>;
  /** Stops Pagefind without writing (the build failed meanwhile). */
  abort(): Promise<void>;
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
  return (await startSearchIndex(pages, language)).finish(out);
}

/**
 * Starts indexing `pages` and returns at once, so the build writes its other files while
 * Pagefind works in its own process. Every page is sent without waiting for the one before:
 * Pagefind's service reads its messages in order and handles one at a time (1.x), so the index
 * is the same as when each page waits, and no round trip per page is paid.
 */
export async function startSearchIndex(
  pages: readonly SearchPage[],
  language: string,
): Promise<PendingSearchIndex> {
  const created = await pagefind.createIndex({ forceLanguage: language }).catch((error: unknown) => {
    throw failed(error);
  });
  if (!created.index) {
    await pagefind.close();
    throw failed(new Error(created.errors.join('; ')));
  }
  const { index } = created;
  const sorted = [...pages].sort((a, b) => (a.path < b.path ? -1 : 1));
  const added = Promise.all(
    sorted.map(async (page) => {
      const result = await index.addHTMLFile({
        url: `/${page.path.replace(/index\.html$/, '')}`,
        content: page.html,
      });
      if (result.errors.length > 0) throw new Error(`${page.path}: ${result.errors.join('; ')}`);
    }),
  );
  added.catch(() => undefined); // reported by finish()
  return {
    async finish(out) {
      try {
        await added;
        const { files, errors } = await index.getFiles();
        if (errors.length > 0) throw new Error(errors.join('; '));
        const kept = files
          .filter((file) => !UNUSED.test(file.path))
          .sort((a, b) => (a.path < b.path ? -1 : 1));
        for (const file of kept) await out.write(`pagefind/${file.path}`, file.content);
        await index.deleteIndex();
        return kept.length;
      } catch (error) {
        throw failed(error);
      } finally {
        await pagefind.close();
      }
    },
    async abort() {
      await added.catch(() => undefined);
      await pagefind.close();
    },
  };
}

function failed(error: unknown): Error {
  return new Error(`Building the search index with Pagefind failed: ${(error as Error).message}`, {
    cause: error,
  });
}
