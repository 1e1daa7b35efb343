/** One page in the sitemap: absolute URL and, when known, the date it last changed. */
export interface SitemapEntry {
  url: string;
  lastmod: string | undefined;
}

/**
 * Renders `sitemap.xml` (sitemaps.org 0.9) for the given pages, in the order given. Dates are
 * publication dates (`YYYY-MM-DD`), never the build time, so the output is deterministic.
 */
export function renderSitemap(entries: readonly SitemapEntry[]): string {
  const urls = entries.map((entry) => {
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
