import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { elements, html } from '../support/spine.ts';
import { parse } from './checks.ts';
import { buildFixtureSite, indexedPages, webConfig } from './site.ts';

const BASE = webConfig().baseUrl;
const PUBLISHED = ['2026-01', '2025-12', '2025-11'];
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['entry', 'link', 'url'].includes(name),
});

interface AtomEntry {
  id: string;
  title: { '#text': string };
  updated: string;
  published: string;
  link: { href: string; rel?: string }[];
  content: { type: string; '#text': string };
  author: { name: string };
}

let site: string;
let drafts: string;

beforeAll(async () => {
  site = join(await buildFixtureSite(), 'web');
  drafts = join(await buildFixtureSite('archive', { drafts: true }), 'web');
});

describe('the Atom feed', () => {
  const feedOf = (dir: string) => {
    const text = readFileSync(join(dir, 'feed.xml'), 'utf8');
    expect(XMLValidator.validate(text)).toBe(true);
    return (
      xml.parse(text) as {
        feed: {
          xmlns: string;
          id: string;
          updated: string;
          link: { href: string; rel: string }[];
          entry: AtomEntry[];
        };
      }
    ).feed;
  };

  it('parses back as Atom with the site as id, a self link and the newest issue date as updated', () => {
    const feed = feedOf(site);
    expect(feed.xmlns).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe(BASE);
    expect(feed.link).toContainEqual({ rel: 'self', href: `${BASE}feed.xml` });
    expect(feed.updated).toBe('2026-01-29T12:00:00.000Z');
  });

  it('has one entry per published issue, newest first, with its page URL as id and link and its date', () => {
    const { entry } = feedOf(site);
    expect(entry.map((item) => item.id)).toEqual(PUBLISHED.map((id) => `${BASE}${id}/`));
    expect(entry.map((item) => item.link[0]?.href)).toEqual(entry.map((item) => item.id));
    expect(entry.map((item) => item.published)).toEqual([
      '2026-01-29T12:00:00.000Z',
      '2025-12-18T12:00:00.000Z',
      '2025-11-27T12:00:00.000Z',
    ]);
    for (const item of entry) expect(Date.parse(item.updated)).toBe(Date.parse(item.published));
    expect(entry[0]?.title['#text']).toBe('Nytt år, nya nätverksträffar');
    expect(entry[0]?.author.name).toBe('Karin Lindqvist, kanslichef');
  });

  it('carries the full content, with every link and image URL absolute', () => {
    const { entry } = feedOf(site);
    for (const item of entry) {
      const tree = html(item.content['#text']);
      expect(item.content.type).toBe('html');
      const urls = elements(
        tree,
        (node) => node.properties.href !== undefined || node.properties.src !== undefined,
      ).map((node) => String(node.properties.href ?? node.properties.src));
      for (const url of urls) expect(url, item.id).toMatch(/^(https:\/\/|mailto:)/);
    }
    const december = entry.find((item) => item.id.endsWith('2025-12/'))!.content['#text'];
    expect(december).toContain('<h2 id="året-som-gick">Året som gick</h2>');
    expect(december).toContain(`href="${BASE}2025-11/"`);
    expect(december).toMatch(new RegExp(`href="${BASE}2025-12/#[^"]*fn-1"`));
    expect(entry[0]?.content['#text']).toMatch(
      new RegExp(`src="${BASE}2026-01/images/karta\\.[0-9a-f]+\\.png"`),
    );
  });

  it('never includes drafts, even in a --drafts build', () => {
    expect(feedOf(drafts).entry.map((item) => item.id)).toEqual(PUBLISHED.map((id) => `${BASE}${id}/`));
  });
});

describe('the sitemap', () => {
  it('lists the archive, each published issue with its date, and the subscribe and statement pages, never drafts', () => {
    for (const dir of [site, drafts]) {
      const text = readFileSync(join(dir, 'sitemap.xml'), 'utf8');
      expect(XMLValidator.validate(text)).toBe(true);
      const { urlset } = xml.parse(text) as { urlset: { url: { loc: string; lastmod?: string }[] } };
      expect(urlset.url).toEqual([
        { loc: BASE, lastmod: '2026-01-29' },
        { loc: `${BASE}2026-01/`, lastmod: '2026-01-29' },
        { loc: `${BASE}2025-12/`, lastmod: '2025-12-18' },
        { loc: `${BASE}2025-11/`, lastmod: '2025-11-27' },
        { loc: `${BASE}prenumerera/` },
        { loc: `${BASE}tillganglighet/` },
      ]);
    }
  });
});

describe('drafts', () => {
  it('are left out of the archive by default', () => {
    expect(existsSync(join(site, '2026-02'))).toBe(false);
    expect(readFileSync(join(site, 'index.html'), 'utf8')).not.toContain('Utkast');
    expect(indexedPages(site)).toBe(3);
  });

  it('are built and listed with --drafts, marked "Utkast" and kept out of search engines', () => {
    const page = parse(drafts, '2026-02/index.html');
    const badge = elements(page, (node) => String(node.properties.className).includes('draft-badge'));
    expect(badge).toHaveLength(1);
    expect(
      elements(page, (node) => node.tagName === 'meta' && node.properties.name === 'robots')[0]?.properties
        .content,
    ).toBe('noindex');
    const index = readFileSync(join(drafts, 'index.html'), 'utf8');
    expect(index).toMatch(
      /<span class="draft-badge">Utkast<\/span> <time datetime="2026-02-26">Februari 2026<\/time>/,
    );
    expect(readFileSync(join(site, '2026-01', 'index.html'), 'utf8')).not.toContain('noindex');
  });
});
