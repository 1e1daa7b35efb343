import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenLinks, htmlProblems } from './checks.ts';
import { buildFixtureSite, filesUnder, webConfig } from './site.ts';

const OFF = webConfig('search:\n  enabled: false');

describe('a site with search turned off (search.enabled: false)', () => {
  it('has no Pagefind index, no search page or script, and no link to them; every link resolves', async () => {
    const site = join(await buildFixtureSite('archive', {}, OFF), 'web');
    const pages = filesUnder(site, '.html');
    expect(pages).toEqual([
      '2025-11/index.html',
      '2025-12/index.html',
      '2026-01/index.html',
      'index.html',
      'prenumerera/index.html',
      'tillganglighet/index.html',
    ]);
    expect(existsSync(join(site, 'pagefind'))).toBe(false);
    expect(existsSync(join(site, 'assets', 'search.js'))).toBe(false);
    for (const path of pages) {
      expect(readFileSync(join(site, path), 'utf8'), path).not.toContain('sok/');
      expect(brokenLinks(site, path, OFF.baseUrl), path).toEqual([]);
      expect(await htmlProblems(site, path), path).toEqual([]);
    }
  });

  it('removes the index, the search page and its script an earlier build with search left', async () => {
    const out = await buildFixtureSite('archive');
    const site = join(out, 'web');
    expect(existsSync(join(site, 'pagefind'))).toBe(true);
    await buildFixtureSite('archive', { outDir: out }, OFF);
    expect(existsSync(join(site, 'pagefind'))).toBe(false);
    expect(existsSync(join(site, 'sok'))).toBe(false);
    expect(existsSync(join(site, 'assets', 'search.js'))).toBe(false);
    expect(existsSync(join(site, 'assets', 'style.css'))).toBe(true);
  });

  it('keeps every page of a site with search byte for byte as before (the link stays)', async () => {
    const site = join(await buildFixtureSite(), 'web');
    expect(readFileSync(join(site, 'index.html'), 'utf8')).toContain('href="sok/"');
  });
});
