import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { elements } from '../support/spine.ts';
import { hashTree } from '../support/tree-hash.ts';
import { brokenLinks, headingProblems, htmlProblems, landmarks, parse } from './checks.ts';
import { buildFixtureSite, filesUnder, webConfig } from './site.ts';

const BASE = webConfig().baseUrl;
let site: string;
let pages: string[];

beforeAll(async () => {
  site = join(await buildFixtureSite(), 'web');
  pages = filesUnder(site, '.html');
});

describe('the built web archive', () => {
  it('has the index, one page per published issue, the statement, subscribe and search pages, feed and sitemap', () => {
    expect(pages).toEqual([
      '2025-11/index.html',
      '2025-12/index.html',
      '2026-01/index.html',
      'index.html',
      'prenumerera/index.html',
      'sok/index.html',
      'tillganglighet/index.html',
    ]);
    expect(filesUnder(site, '.xml')).toEqual(['feed.xml', 'sitemap.xml']);
  });

  it('passes html-validate (recommended preset, .htmlvalidate.json) with 0 errors on every page', async () => {
    for (const path of pages) expect(await htmlProblems(site, path)).toEqual([]);
  });

  it('resolves every internal href, src and #fragment to a file and an element of the site', () => {
    expect(pages.flatMap((path) => brokenLinks(site, path, BASE))).toEqual([]);
  });

  it('links nothing with a root-relative or host URL into the site, so any base path works', () => {
    for (const path of pages) {
      const urls = elements(parse(site, path), () => true).flatMap((node) => [
        node.properties.href,
        node.properties.src,
      ]);
      expect(
        urls.filter((url) => typeof url === 'string' && url.startsWith('/')),
        path,
      ).toEqual([]);
    }
  });

  it('gives every page exactly one h1 and no skipped heading levels', () => {
    for (const path of pages) expect(headingProblems(parse(site, path)), path).toEqual([]);
  });

  it('gives every page a skip link to main first, then banner, navigation, main and footer landmarks', () => {
    for (const path of pages) {
      const tree = parse(site, path);
      const first = elements(tree, (node) => node.tagName === 'a')[0];
      expect(first?.properties.href, path).toBe('#innehall');
      expect(elements(tree, (node) => node.tagName === 'main')[0]?.properties.id).toBe('innehall');
      expect(
        landmarks(tree).filter((name) => name !== 'aside'),
        path,
      ).toEqual(expect.arrayContaining(['header', 'nav', 'main', 'footer']));
      expect(
        landmarks(tree).filter((name) => name === 'main'),
        path,
      ).toHaveLength(1);
    }
  });

  it('links every page to the accessibility statement and the subscribe page', () => {
    for (const path of pages) {
      const hrefs = elements(parse(site, path), (node) => node.tagName === 'a').map((node) =>
        String(node.properties.href),
      );
      expect(
        hrefs.some((href) => href.endsWith('tillganglighet/')),
        path,
      ).toBe(true);
      expect(
        hrefs.some((href) => href.endsWith('prenumerera/')),
        path,
      ).toBe(true);
    }
  });

  it('loads only its own assets: no script, stylesheet or image from another host', () => {
    for (const path of pages) {
      const tree = parse(site, path);
      const loaded = elements(
        tree,
        (node) =>
          ['script', 'img', 'iframe'].includes(node.tagName) ||
          (node.tagName === 'link' && String(node.properties.rel) === 'stylesheet'),
      );
      for (const node of loaded)
        expect(String(node.properties.src ?? node.properties.href), path).not.toMatch(/^(https?:)?\/\//);
    }
  });

  it('is byte-identical when built twice, search index included', async () => {
    const again = join(await buildFixtureSite(), 'web');
    expect(Object.keys(hashTree(site)).some((path) => path.startsWith('pagefind/'))).toBe(true);
    expect(hashTree(again)).toEqual(hashTree(site));
  });
});

describe('an issue page', () => {
  it('has the table of contents as navigation, previous/next links and teasers', () => {
    const tree = parse(site, '2025-12/index.html');
    const navs = elements(tree, (node) => node.tagName === 'nav').map(
      (node) => node.properties.ariaLabel ?? node.properties.ariaLabelledBy,
    );
    expect(navs).toEqual(expect.arrayContaining([['i-detta-nummer'], 'Bläddra mellan nummer']));
    const rel = elements(tree, (node) => node.tagName === 'a' && node.properties.rel !== undefined);
    expect(rel.map((node) => [String(node.properties.rel), node.properties.href])).toEqual([
      ['prev', '../2025-11/'],
      ['next', '../2026-01/'],
    ]);
    expect(elements(tree, (node) => node.properties.id === 'fler-nyhetsbrev')).toHaveLength(1);
  });

  it('gives images their content-hashed file and width and height', () => {
    const [image] = elements(parse(site, '2026-01/index.html'), (node) => node.tagName === 'img');
    expect(image?.properties.src).toMatch(/^images\/karta\.[0-9a-f]{10}\.png$/);
    expect([image?.properties.width, image?.properties.height]).toEqual([64, 40]);
  });
});

describe('a content table on the web', () => {
  it('sits in a named, focusable scroll region, with column alignment as classes instead of `align`', () => {
    const tree = parse(site, '2025-12/index.html');
    const [region] = elements(tree, (node) => String(node.properties.className) === 'table-scroll');
    expect(region).toMatchObject({ tagName: 'section', properties: { tabIndex: 0 } });
    expect(region?.properties.ariaLabel).toBe(
      'Tabell: Forum, Möten, Deltagare, Medlemsmyndigheter, Vägledningar, Remissvar',
    );
    expect(region?.children.find((child) => child.type === 'element')).toMatchObject({ tagName: 'table' });
    const cells = elements(tree, (node) => node.tagName === 'td' || node.tagName === 'th');
    expect(cells.filter((cell) => cell.properties.align !== undefined)).toEqual([]);
    expect(
      cells.filter((cell) => String(cell.properties.className) === 'align-right').length,
    ).toBeGreaterThan(8);
  });
});
