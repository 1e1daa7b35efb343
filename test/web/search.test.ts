import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import * as pagefind from 'pagefind';
import { describe, expect, it } from 'vitest';
import type { BuildOptions } from '../../src/build/index.ts';
import { searchDocument } from '../../src/build/search.ts';
import { planShards } from '../../src/build/search-shards.ts';
import { BundleCache } from '../../src/cache/search-bundles.ts';
import { tempDir } from '../support/spine.ts';
import { hashTree } from '../support/tree-hash.ts';
import { buildWeb, indexedPages, WEB_FIXTURES } from './site.ts';

/** A temp copy of the web fixture archive (2025-11, 2025-12 | 2026-01, draft 2026-02). */
function archive(): string {
  const issues = tempDir('nyhetsbrev-search-issues-');
  cpSync(join(WEB_FIXTURES, 'archive'), issues, { recursive: true });
  return issues;
}

/** Builds the web archive as `publish` does into `outDir` (default: a fresh folder). */
async function build(issues: string, options: Partial<BuildOptions> = {}) {
  const { site, result } = await buildWeb(issues, options);
  return { site, search: result.search, tree: hashTree(site), index: hashTree(join(site, 'pagefind')) };
}

/** The file hashes of one bundle: `main` is `pagefind/` without the merged bundles' folders. */
function bundle(index: Record<string, string>, name: string): Record<string, string> {
  const entries = Object.entries(index).filter(([path]) =>
    name === 'main' ? !/^\d{4}-\d{4}\//.test(path) : path.startsWith(`${name}/`),
  );
  return Object.fromEntries(entries);
}

function edit(issues: string, id: string, file: string, text: string): void {
  const name = readdirSync(join(issues, id)).find((candidate) => candidate.startsWith(file))!;
  appendFileSync(join(issues, id, name), text);
}

describe('search shards', () => {
  it('puts the newest year in the main shard and each earlier year in its decade, at most 7 for 500 monthly issues', () => {
    const pages = Array.from({ length: 500 }, (_, index) => ({
      path: `${2000 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}/index.html`,
      html: '',
    })).reverse();
    const shards = planShards(pages);
    expect(shards.map((shard) => [shard.name, shard.main, shard.pages.length])).toEqual([
      ['2041', true, 8],
      ['2040-2049', false, 12],
      ['2030-2039', false, 120],
      ['2020-2029', false, 120],
      ['2010-2019', false, 120],
      ['2000-2009', false, 120],
    ]);
    expect(shards[1]!.pages.map((page) => page.path).slice(0, 2)).toEqual([
      '2040-01/index.html',
      '2040-02/index.html',
    ]);
    expect(planShards([])).toEqual([{ name: 'main', main: true, pages: [] }]);
    expect(planShards([{ path: 'x/index.html', html: '' }])[0]).toMatchObject({
      main: true,
      pages: [{ path: 'x/index.html' }],
    });
  });

  it('gives Pagefind only the article of an issue page, which indexes it byte for byte like the whole page', async () => {
    const { site } = await build(archive(), { cache: false });
    const pages = ['2025-11', '2025-12', '2026-01'].map((id) => ({
      path: `${id}/index.html`,
      html: readFileSync(join(site, id, 'index.html'), 'utf8'),
    }));
    const document = searchDocument(pages[2]!.html, 'sv');
    expect(document).toMatch(
      /^<html lang="sv"><body><article data-pagefind-body>.*<\/article><\/body><\/html>$/s,
    );
    expect(document).not.toContain('fler-nyhetsbrev');
    const whole = await pagefindFiles(pages);
    expect(
      await pagefindFiles(pages.map((page) => ({ ...page, html: searchDocument(page.html, 'sv') }))),
    ).toEqual(whole);
    // Anything else for Pagefind on the page: the whole page goes to it.
    const marked = pages[0]!.html.replace('<footer', '<footer data-pagefind-meta="extra:x"');
    expect(searchDocument(marked, 'sv')).toBe(marked);
  });

  it('writes the main bundle to pagefind/ and the others below it, listed in pagefind/shards.json', async () => {
    const { site, search } = await build(archive(), { cache: false });
    expect(search).toEqual({ shards: ['2026', '2020-2029'], rebuilt: ['2026', '2020-2029'] });
    expect(JSON.parse(readFileSync(join(site, 'pagefind', 'shards.json'), 'utf8'))).toEqual({
      shards: ['2020-2029'],
    });
    expect(existsSync(join(site, 'pagefind', 'pagefind-entry.json'))).toBe(true);
    expect(readdirSync(join(site, 'pagefind', '2020-2029')).sort()).toEqual([
      'fragment',
      'index',
      'pagefind-entry.json',
      expect.stringMatching(/^pagefind\.sv_[0-9a-f]+\.pf_meta$/),
    ]);
    expect(indexedPages(site)).toBe(3);
  });
});

describe('the search index with the build cache', () => {
  it('is byte-identical to a build without the cache, cold and warm', async () => {
    const issues = archive();
    const cache = tempDir('nyhetsbrev-search-cache-');
    const uncached = await build(issues, { cache: false });
    const cold = await build(issues, { cache });
    const warm = await build(issues, { cache });
    expect(cold.search?.rebuilt).toEqual(['2026', '2020-2029']);
    expect(warm.search?.rebuilt).toEqual([]);
    expect(Object.keys(uncached.index).length).toBeGreaterThan(8);
    expect(cold.tree).toEqual(uncached.tree);
    expect(warm.tree).toEqual(uncached.tree);
  });

  it('indexes again only the shard of an edited issue, even when its teasers change on every other page', async () => {
    const issues = archive();
    const cache = tempDir('nyhetsbrev-search-cache-');
    const before = await build(issues, { cache });

    edit(issues, '2026-01', 'issue.md', '\nEtt nytt stycke i ledaren om fjällvandring.\n');
    const newest = await build(issues, { cache });
    expect(newest.tree['2025-12/index.html']).not.toBe(before.tree['2025-12/index.html']); // teasers
    expect(newest.search?.rebuilt).toEqual(['2026']);
    expect(bundle(newest.index, '2020-2029')).toEqual(bundle(before.index, '2020-2029'));
    expect(bundle(newest.index, 'main')).not.toEqual(bundle(before.index, 'main'));
    expect(newest.tree).toEqual((await build(issues, { cache: false })).tree);

    edit(issues, '2025-11', '01-', '\nForumet besökte också Jokkmokk.\n');
    const older = await build(issues, { cache });
    expect(older.search?.rebuilt).toEqual(['2020-2029']);
    expect(bundle(older.index, 'main')).toEqual(bundle(newest.index, 'main'));
    expect(older.tree).toEqual((await build(issues, { cache: false })).tree);
  });

  it('indexes a shard again when its cached bundle is damaged, and keeps no bundles with `cache: false`', async () => {
    const issues = archive();
    const cache = tempDir('nyhetsbrev-search-cache-');
    const expected = (await build(issues, { cache })).tree;
    const bundles = readdirSync(join(cache, 'search'));
    expect(bundles).toHaveLength(2);
    for (const name of bundles) writeFileSync(join(cache, 'search', name), 'not a bundle');
    const again = await build(issues, { cache });
    expect(again.search?.rebuilt).toEqual(['2026', '2020-2029']);
    expect(again.tree).toEqual(expected);

    const none = tempDir('nyhetsbrev-search-nocache-');
    await build(issues, { cache: false, outDir: none });
    expect(readdirSync(none)).toEqual(['web']);
  });

  it('removes index files of an earlier build that no shard has any more', async () => {
    const issues = archive();
    const outDir = tempDir('nyhetsbrev-search-out-');
    mkdirSync(join(outDir, 'web', 'pagefind', '1990-1999', 'fragment'), { recursive: true });
    writeFileSync(join(outDir, 'web', 'pagefind', '1990-1999', 'fragment', 'sv_0.pf_fragment'), 'stale');
    writeFileSync(join(outDir, 'web', 'pagefind', 'sv_0.pf_index'), 'stale');
    const { tree } = await build(issues, { cache: false, outDir });
    expect(Object.keys(tree).filter((path) => path.includes('1990') || path.includes('sv_0.'))).toEqual([]);
  });
});

describe('the cache of search bundles', () => {
  it('gives back the bytes it kept, and refuses a bundle with a path outside its folder', () => {
    const cache = new BundleCache(join(tempDir('nyhetsbrev-bundles-'), 'search'));
    const files = [
      { path: 'pagefind-entry.json', content: Buffer.from('{}') },
      { path: 'fragment/sv_1.pf_fragment', content: Uint8Array.from([0, 1, 2, 255]) },
    ];
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', files);
    expect(cache.get('a')?.map((file) => [file.path, Buffer.from(file.content).toString('hex')])).toEqual([
      ['pagefind-entry.json', '7b7d'],
      ['fragment/sv_1.pf_fragment', '000102ff'],
    ]);
    cache.set('b', [{ path: '../escape.json', content: Buffer.from('{}') }]);
    expect(cache.get('b')).toBeUndefined();
  });

  it('keeps the 64 bundles used last', () => {
    const dir = join(tempDir('nyhetsbrev-bundles-'), 'search');
    const cache = new BundleCache(dir);
    const start = Date.now() / 1000 - 1000;
    for (let index = 0; index < 70; index++) {
      cache.set(`k${index}`, [{ path: 'x', content: Buffer.from(String(index)) }]);
      utimesSync(join(dir, `k${index}.bundle`), start + index, start + index);
    }
    expect(cache.get('k0')).toBeDefined(); // used now: the most recent
    cache.prune();
    const kept = readdirSync(dir).map((name) => name.replace('.bundle', ''));
    expect(kept).toHaveLength(64);
    expect(kept).toContain('k0');
    expect(kept.filter((key) => ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'].includes(key))).toEqual([]);
  });
});

/** Pagefind's files for `pages` given as they are, in one index (as the build did before shards). */
async function pagefindFiles(pages: { path: string; html: string }[]): Promise<Record<string, string>> {
  const { index } = await pagefind.createIndex({ forceLanguage: 'sv' });
  try {
    for (const page of pages) {
      await index!.addHTMLFile({ url: `/${page.path.replace(/index\.html$/, '')}`, content: page.html });
    }
    const { files } = await index!.getFiles();
    return Object.fromEntries(files.map((file) => [file.path, Buffer.from(file.content).toString('base64')]));
  } finally {
    await pagefind.close();
  }
}
