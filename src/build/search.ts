import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { BundleCache, type BundleFile } from '../cache/search-bundles.ts';
import { indexedPage, type IndexedPage } from './search-document.ts';
import { bundleSalt, startPagefind, type Pagefind } from './search-pagefind.ts';
import { planShards, type SearchPage, type SearchShard } from './search-shards.ts';
import type { Writer } from './writer.ts';

export type { SearchPage } from './search-shards.ts';
export { searchDocument } from './search-document.ts';

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
   * Writes `pagefind/` into `out`: the bundles from the cache at once, the others when Pagefind
   * has made them, then the list of bundles. Files of an earlier index that this one does not
   * have are the caller's to remove (`Writer.prune`). Returns what was built.
   */
  finish(out: Writer): Promise<SearchReport>;
  /** Stops Pagefind and the writing (the build failed meanwhile); settles when both have stopped. */
  abort(): Promise<void>;
}

/** The list of merged bundles in `pagefind/`, read by the search page: `{"shards":["2010-2019"]}`. */
export const MANIFEST = 'shards.json';

// Bump when what a bundle holds changes in a way the key does not see.
const FORMAT = 2;

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
 * `pagefind/shards.json` for the search page to merge. See {@link SearchIndexer}.
 */
export function startSearchIndex(
  pages: readonly (SearchPage | IndexedPage)[],
  language: string,
  options: SearchOptions = {},
): PendingSearchIndex {
  const indexer = new SearchIndexer(
    pages.map((page) => page.path),
    language,
    options,
  );
  for (const page of pages) indexer.add('html' in page ? indexedPage(page, language) : page);
  return indexer;
}

/** A shard with its key (none without a cache) and its files (once known). */
interface Job {
  shard: SearchShard<IndexedPage>;
  /** Pages of the shard not added yet. */
  missing: number;
  key: string | undefined;
  files: BundleFile[] | undefined;
  /** Pagefind's bundle of a shard not in the cache. */
  indexing: Promise<BundleFile[]> | undefined;
}

/**
 * The search index of a site whose page paths are known up front, given the pages one at a time
 * as the build writes them ({@link add}). When a shard has all its pages, its key (its pages'
 * paths and search documents, the language, Pagefind's version and `search-pagefind.ts`) is
 * known: a shard in the cache is taken from there, the others are indexed by Pagefind in its own
 * process ({@link startPagefind}) at once, while the build goes on. Only then is each page's
 * document asked for (`IndexedPage.document`), so the build need not hold its pages. Pagefind's
 * output was byte-identical between runs in our tests (1.x), so a bundle from the cache is the
 * bundle Pagefind would make. Pagefind's failures reject `finish`.
 */
export class SearchIndexer implements PendingSearchIndex {
  private readonly jobs: Job[];
  private readonly byPath = new Map<string, Job>();
  private readonly cache: BundleCache | undefined;
  private readonly salt: string | undefined;
  private readonly pagefind: Pagefind;
  private aborted = false;
  private finishing: Promise<SearchReport> | undefined;

  constructor(
    paths: readonly string[],
    private readonly language: string,
    options: SearchOptions = {},
  ) {
    this.cache = options.cache ? new BundleCache(join(options.cache, 'search')) : undefined;
    this.salt = this.cache ? bundleSalt() : undefined;
    this.pagefind = startPagefind(language);
    this.jobs = planShards(paths.map((path) => ({ path }))).map((planned) => {
      const job: Job = {
        shard: { ...planned, pages: [] },
        missing: planned.pages.length,
        key: undefined,
        files: undefined,
        indexing: undefined,
      };
      for (const { path } of planned.pages) this.byPath.set(path, job);
      return job;
    });
    for (const job of this.jobs) if (job.missing === 0) this.settle(job);
  }

  /** Adds the page of one of the paths given; indexes its shard when it is the shard's last. */
  add(page: IndexedPage): void {
    const job = this.byPath.get(page.path);
    if (!job) throw new Error(`SearchIndexer: ${page.path} is not one of the pages planned`);
    job.shard.pages.push(page);
    if (--job.missing === 0) this.settle(job);
  }

  finish(out: Writer): Promise<SearchReport> {
    this.finishing = this.write(out);
    return this.finishing;
  }

  async abort(): Promise<void> {
    this.aborted = true;
    await this.pagefind.close().catch(() => undefined);
    await this.finishing?.catch(() => undefined);
  }

  private settle(job: Job): void {
    const { shard } = job;
    shard.pages.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    job.key = this.salt === undefined ? undefined : bundleKey(shard, this.language, this.salt);
    job.files = job.key === undefined ? undefined : this.cache?.get(job.key);
    if (job.files || this.aborted) return;
    job.indexing = this.pagefind.index(shard);
    job.indexing.catch(() => undefined); // reported by finish()
  }

  private async write(out: Writer): Promise<SearchReport> {
    const unfinished = this.jobs.find((job) => job.missing > 0);
    if (unfinished) throw new Error(`SearchIndexer: pages of shard ${unfinished.shard.name} never came`);
    const misses = this.jobs.filter((job) => job.indexing !== undefined);
    try {
      for (const { shard, files } of this.jobs) if (files) await this.writeBundle(out, shard, files);
      for (const job of misses) {
        job.files = await job.indexing!;
        if (job.key !== undefined) this.cache?.set(job.key, job.files);
        await this.writeBundle(out, job.shard, job.files);
      }
    } finally {
      await this.pagefind.close();
    }
    const shards = this.jobs.map((job) => job.shard);
    const merged = shards.filter((shard) => !shard.main).map((shard) => shard.name);
    await out.write(`pagefind/${MANIFEST}`, `${JSON.stringify({ shards: merged })}\n`);
    this.cache?.prune();
    return { shards: shards.map((shard) => shard.name), rebuilt: misses.map((job) => job.shard.name) };
  }

  private async writeBundle(out: Writer, shard: SearchShard<IndexedPage>, files: readonly BundleFile[]) {
    if (this.aborted) throw new Error('The build stopped.');
    const dir = shard.main ? 'pagefind' : `pagefind/${shard.name}`;
    await out.writeAll(files.map((file) => ({ path: `${dir}/${file.path}`, content: file.content })));
  }
}

function bundleKey(shard: SearchShard<IndexedPage>, language: string, salt: string): string {
  const hash = createHash('sha256').update(`${FORMAT}\0${salt}\0${language}\0${shard.main}\0`);
  for (const page of shard.pages) hash.update(`${page.path}\0${page.digest}\0`);
  return hash.digest('hex');
}
