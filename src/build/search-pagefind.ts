import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pagefind from 'pagefind';
import type { BundleFile } from '../cache/search-bundles.ts';

// Pagefind's own UI bundles: the search page ships its own small, accessible UI instead.
const UNUSED = /^pagefind-(ui|modular-ui|component-ui|highlight)\.(js|css)$/;
// A merged bundle is searched by the main bundle's script, worker and WebAssembly: Pagefind 1.x's
// `mergeIndex` loads only the entry, meta, index and fragment files of the bundles it merges.
const RUNTIME = /^(pagefind\.js|pagefind-worker\.js|wasm\.[\w-]+\.pagefind)$/;

let salt: string | null | undefined;

/**
 * What besides its pages makes a shard's bundle: Pagefind's installed version and this module's
 * source (which files are kept). Undefined when either cannot be read: then nothing is cached.
 */
export function bundleSalt(): string | undefined {
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

/** A shard's pages as Pagefind is given them: each page's document made when it is sent. */
export interface PagefindShard {
  main: boolean;
  pages: readonly { path: string; document: () => string }[];
}

/** One Pagefind process indexing shards one after another (see {@link startPagefind}). */
export interface Pagefind {
  /** Indexes `shard` once the shards before it are done; resolves with its bundle. */
  index(shard: PagefindShard): Promise<BundleFile[]>;
  /** Closes the process once every shard given is done. */
  close(): Promise<void>;
}

// Pages on their way to Pagefind at once: enough to keep its process busy, while each page's
// message (its document as JSON, then base64) exists only while it is sent.
const WINDOW = 8;

/**
 * A Pagefind process (started on the first shard) that indexes each shard in an index of its own,
 * with the language's stemming, shard after shard. Pages are added in path order, up to
 * {@link WINDOW} without waiting for the ones before: Pagefind's service handles its messages one
 * at a time, in order (1.x), so the index is the same. Failures reject with "Building the search
 * index with Pagefind failed: …" (its binary comes from the `@pagefind/<platform>` package).
 */
export function startPagefind(language: string): Pagefind {
  let last: Promise<unknown> = Promise.resolve();
  let used = false;
  return {
    index(shard) {
      used = true;
      const done = last.then(() => indexShard(shard, language));
      last = done.catch(() => undefined);
      return done;
    },
    async close() {
      await last;
      if (used) await pagefind.close();
    },
  };
}

async function indexShard(shard: PagefindShard, language: string): Promise<BundleFile[]> {
  try {
    const created = await pagefind.createIndex({ forceLanguage: language });
    if (!created.index) throw new Error(created.errors.join('; '));
    const index = created.index;
    const add = async (page: PagefindShard['pages'][number]) => {
      const url = `/${page.path.replace(/index\.html$/, '')}`;
      const result = await index.addHTMLFile({ url, content: page.document() });
      if (result.errors.length > 0) throw new Error(`${page.path}: ${result.errors.join('; ')}`);
    };
    let next = 0;
    const lane = async () => {
      while (next < shard.pages.length) await add(shard.pages[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(WINDOW, shard.pages.length) }, lane));
    return await bundleFiles(index, shard);
  } catch (error) {
    throw failed(error);
  }
}

async function bundleFiles(index: pagefind.PagefindIndex, shard: PagefindShard): Promise<BundleFile[]> {
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
