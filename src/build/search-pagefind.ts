import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pagefind from 'pagefind';
import type { BundleFile } from '../cache/search-bundles.ts';
import type { SearchShard } from './search-shards.ts';

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

/** Pagefind indexing shards: {@link Pagefind.finish} gives each one's bundle, in order. */
export interface Pagefind {
  finish(): Promise<BundleFile[][]>;
  abort(): Promise<void>;
}

/**
 * Indexes each shard in a Pagefind index of its own, all in one Pagefind process, with the
 * language's stemming. Pages are added in path order, each without waiting for the one before:
 * Pagefind's service handles its messages one at a time, in order (1.x), so the index is the same
 * and no round trip per page is paid. Failures reject with "Building the search index with
 * Pagefind failed: …" (its binary comes from the `@pagefind/<platform>` package).
 */
export async function startPagefind(shards: readonly SearchShard[], language: string): Promise<Pagefind> {
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
