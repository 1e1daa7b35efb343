import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pagefind from 'pagefind';
import { BundleCache, type BundleFile } from '../cache/search-bundles.ts';
import { planShards, type SearchPage, type SearchShard } from './search-shards.ts';
import type { Writer } from './writer.ts';

export type { SearchPage } from './search-shards.ts';

/** What building the search index did: every shard (main first), and those Pagefind indexed. */
export interface SearchReport {
  shards: string[];
  rebuilt: string[];
}

/** Options of {@link startSearchIndex}. */
export interface SearchOptions {
  /** The build cache folder (bundles go to `<cache>/search/`), or false for none (the default). */
  cache?: string | false | undefined;
}

/** A search index being built (see {@link startSearchIndex}). */
export interface PendingSearchIndex {
  /**
   * Writes `pagefind/` into `out` (which must not hold one yet): the bundles from the cache at
   * once, the others when Pagefind has made them, then the list of bundles. Returns what was built.
   */
  finish(out: Writer): Promise<SearchReport>;
  /** Stops Pagefind and the writing (the build failed meanwhile); settles when both have stopped. */
  abort(): Promise<void>;
}

/** The list of merged bundles in `pagefind/`, read by the search page: `{"shards":["2010-2019"]}`. */
export const MANIFEST = 'shards.json';

// Pagefind's own UI bundles: the search page ships its own small, accessible UI instead.
const UNUSED = /^pagefind-(ui|modular-ui|component-ui|highlight)\.(js|css)$/;
// A merged bundle is searched by the main bundle's script, worker and WebAssembly: Pagefind 1.x's
// `mergeIndex` loads only the entry, meta, index and fragment files of the bundles it merges.
const RUNTIME = /^(pagefind\.js|pagefind-worker\.js|wasm\.[\w-]+\.pagefind)$/;
// Bump when what a bundle holds changes in a way the key does not see.
const FORMAT = 1;

/**
 * Builds the Pagefind search index of `pages` (only their `data-pagefind-body` part, with the
 * locale's stemming) into `pagefind/` of the site and writes it to `out`; see
 * {@link startSearchIndex}.
 */
export function writeSearchIndex(
  pages: readonly SearchPage[],
  language: string,
  out: Writer,
  options: SearchOptions = {},
): Promise<SearchReport> {
  return startSearchIndex(pages, language, options).finish(out);
}

/**
 * Starts building the search index of `pages`, in shards ({@link planShards}): the main shard's
 * bundle goes to `pagefind/`, each other one to `pagefind/<name>/`, listed in
 * `pagefind/shards.json` for the search page to merge. A shard whose key (its pages' paths and
 * search documents, the language, Pagefind's version, this module) is in the cache is taken from
 * there; the others are indexed by Pagefind in its own process, which starts at once, so the build
 * writes its other files meanwhile. Pagefind's output was byte-identical between runs in our tests
 * (1.x), so a bundle from the cache is the bundle Pagefind would make. Pages are added in path
 * order, each without waiting for the one before: Pagefind's service handles its messages one at
 * a time, in order (1.x), so the index is the same and no round trip per page is paid.
 * Pagefind's failures throw (its binary comes from the `@pagefind/<platform>` package).
 */
export function startSearchIndex(
  pages: readonly SearchPage[],
  language: string,
  options: SearchOptions = {},
): PendingSearchIndex {
  const shards = planShards(
    pages.map((page) => ({ path: page.path, html: searchDocument(page.html, language) })),
  );
  const cache = options.cache ? new BundleCache(join(options.cache, 'search')) : undefined;
  const salt = cache ? cacheSalt() : undefined;
  const jobs = shards.map((shard) => {
    const key = salt === undefined ? undefined : bundleKey(shard, language, salt);
    return { shard, key, files: key === undefined ? undefined : cache?.get(key) };
  });
  const misses = jobs.filter((job) => !job.files);
  // Not awaited: Pagefind's process starts while the caller goes on writing.
  const indexing =
    misses.length > 0
      ? startPagefind(
          misses.map((job) => job.shard),
          language,
        )
      : undefined;
  indexing?.catch(() => undefined); // reported by finish()
  let aborted = false;
  let finishing: Promise<SearchReport> | undefined;

  const write = async (out: Writer, shard: SearchShard, files: readonly BundleFile[]) => {
    if (aborted) throw new Error('The build stopped.');
    const dir = shard.main ? 'pagefind' : `pagefind/${shard.name}`;
    await writeMany(
      out,
      files.map((file) => ({ path: `${dir}/${file.path}`, content: file.content })),
    );
  };
  const finish = async (out: Writer): Promise<SearchReport> => {
    for (const { shard, files } of jobs) if (files) await write(out, shard, files);
    if (aborted) throw new Error('The build stopped.');
    const built = indexing ? await (await indexing).finish() : [];
    for (const [index, job] of misses.entries()) {
      job.files = built[index]!;
      if (job.key !== undefined) cache?.set(job.key, job.files);
      await write(out, job.shard, job.files);
    }
    const merged = shards.filter((shard) => !shard.main).map((shard) => shard.name);
    await out.write(`pagefind/${MANIFEST}`, `${JSON.stringify({ shards: merged })}\n`);
    cache?.prune();
    return { shards: shards.map((shard) => shard.name), rebuilt: misses.map((job) => job.shard.name) };
  };
  return {
    finish(out) {
      finishing = finish(out);
      return finishing;
    },
    async abort() {
      aborted = true;
      await (await indexing?.catch(() => undefined))?.abort();
      await finishing?.catch(() => undefined);
    },
  };
}

// Files written at once: a bundle is hundreds of small files (one fragment per page), and one
// thread-pool round trip after another costs more than the writes (≈ 3× on 2 cores).
const LANES = 16;

async function writeMany(out: Writer, files: readonly BundleFile[]): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      await out.write(file.path, file.content);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES, files.length) }, lane));
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

function bundleKey(shard: SearchShard, language: string, salt: string): string {
  const hash = createHash('sha256').update(`${FORMAT}\0${salt}\0${language}\0${shard.main}\0`);
  for (const page of shard.pages) {
    hash.update(`${page.path}\0${Buffer.byteLength(page.html)}\0`).update(page.html);
  }
  return hash.digest('hex');
}

let salt: string | null | undefined;

// Pagefind's installed version and this module's source; null (no cache) when unreadable.
function cacheSalt(): string | undefined {
  if (salt === undefined) {
    try {
      const self = fileURLToPath(import.meta.url);
      salt = createHash('sha256')
        .update(`pagefind ${pagefindVersion(dirname(self))}\0`)
        .update(readFileSync(self))
        .digest('hex');
    } catch {
      salt = null;
    }
  }
  return salt ?? undefined;
}

function pagefindVersion(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'node_modules', 'pagefind', 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (dirname(dir) === dir) throw new Error('The pagefind package was not found.');
  }
}

/** Indexes each shard in a Pagefind index of its own, all in one Pagefind process. */
async function startPagefind(shards: readonly SearchShard[], language: string) {
  const indexes: pagefind.PagefindIndex[] = [];
  try {
    while (indexes.length < shards.length) {
      const created = await pagefind.createIndex({ forceLanguage: language });
      if (!created.index) throw new Error(created.errors.join('; '));
      indexes.push(created.index);
    }
  } catch (error) {
    await pagefind.close();
    throw failed(error);
  }
  const added = Promise.all(
    shards.flatMap((shard, index) =>
      shard.pages.map(async (page) => {
        const result = await indexes[index]!.addHTMLFile({
          url: `/${page.path.replace(/index\.html$/, '')}`,
          content: page.html,
        });
        if (result.errors.length > 0) throw new Error(`${page.path}: ${result.errors.join('; ')}`);
      }),
    ),
  );
  added.catch(() => undefined); // reported by finish()
  return {
    async finish(): Promise<BundleFile[][]> {
      try {
        await added;
        const bundles: BundleFile[][] = [];
        for (const [index, shard] of shards.entries())
          bundles.push(await bundleFiles(indexes[index]!, shard));
        return bundles;
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

async function bundleFiles(index: pagefind.PagefindIndex, shard: SearchShard): Promise<BundleFile[]> {
  const { files, errors } = await index.getFiles();
  if (errors.length > 0) throw new Error(errors.join('; '));
  await index.deleteIndex();
  return files
    .filter((file) => !UNUSED.test(file.path) && (shard.main || !RUNTIME.test(file.path)))
    .sort((a, b) => (a.path < b.path ? -1 : 1))
    .map((file) => ({ path: file.path, content: file.content }));
}

function failed(error: unknown): Error {
  return new Error(`Building the search index with Pagefind failed: ${(error as Error).message}`, {
    cause: error,
  });
}
