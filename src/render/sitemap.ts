import type { IssueSummary } from '../assemble/index.ts';
import type { Config } from '../config/schema.ts';

/** One page in the sitemap: absolute URL and, when known, the date it last changed. */
interface SitemapEntry {
  url: string;
  lastmod: string | undefined;
}

/**
 * Renders `sitemap.xml` (sitemaps.org 0.9): the archive front page, its year pages (`years`, when
 * paged), each published issue (newest first), the subscribe page and the accessibility statement.
 * Dates are publication dates (`YYYY-MM-DD`), never the build time, so the output is deterministic.
 */
export function renderSitemap(
  published: readonly IssueSummary[],
  years: readonly string[],
  config: Config,
): string {
  const urls = sitemapEntries(published, years, config).map((entry) => {
    const lastmod = entry.lastmod ? `<lastmod>${entry.lastmod}</lastmod>` : '';
    return `  <url><loc>${escapeXml(entry.url)}</loc>${lastmod}</url>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...urls,
    '</urlset>',
    '',
  ].join('\n');
}

function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function sitemapEntries(
  published: readonly IssueSummary[],
  years: readonly string[],
  config: Config,
): SitemapEntry[] {
  const at = (path: string) => new URL(path, config.baseUrl).href;
  const newest = published[0]?.meta.date;
  const yearDate = (year: string) => published.find((issue) => issue.meta.date.startsWith(year))?.meta.date;
  return [
    { url: at(''), lastmod: newest },
    ...years.map((year) => ({ url: at(`arkiv/${year}/`), lastmod: yearDate(year) })),
    ...published.map((issue) => ({ url: at(`${encodeURIComponent(issue.id)}/`), lastmod: issue.meta.date })),
    { url: at('prenumerera/'), lastmod: undefined },
    { url: at('tillganglighet/'), lastmod: undefined },
  ];
}
