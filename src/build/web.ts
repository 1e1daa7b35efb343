import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { IssueSummary } from '../assemble/index.ts';
import type { Issue } from '../model.ts';
import { TEMPLATES_DIR } from '../render/templates.ts';
import { renderIndexPage } from '../render/web.ts';
import { archivePages } from './archive-pages.ts';
import { renderFeed } from './feed.ts';
import { readPublicLists } from './lists.ts';
import { renderSearchPage, renderStatementPage, renderSubscribePage } from './pages.ts';
import { startSearchIndex, type SearchPage, type SearchReport } from './search.ts';
import { renderSitemap, type SitemapEntry } from './sitemap.ts';
import type { Writer } from './writer.ts';

/** An issue page rendered by the pipeline, ready to write (with the images it shows). */
export interface IssuePage {
  issue: Pick<Issue, 'id' | 'images'>;
  html: string;
}

/** What the web archive is built from (issue summaries: parsed or compiled issues). */
export interface WebArchiveInput<T extends IssueSummary = IssueSummary> {
  /** Issue pages to write (all listed issues for a full build, or the chosen ones). */
  pages: readonly IssuePage[];
  /** The issues the archive lists, newest first (drafts only with `--drafts`). */
  listed: readonly T[];
  /** Published issues, newest first: the feed and sitemap never include drafts. */
  published: readonly T[];
  /** A published issue's feed entry content (`feedEntryHtml`, or kept from an earlier build). */
  feedHtml: (issue: T) => string;
  /** The build cache folder, where search index shards are kept (see `src/cache`); false: none. */
  cache?: string | false | undefined;
}

const ASSETS = ['style.css', 'search.js'];

/**
 * Writes the web archive into `out` (the site root): issue pages with their images, the archive
 * index (and year pages past 50 issues), `feed.xml`, `sitemap.xml`, the accessibility statement,
 * the subscribe and search pages, assets, and the Pagefind index (in shards, unchanged ones from
 * the cache). Every link is relative, so the site works under any base path. Deterministic: same
 * input, same bytes, with or without the cache. Returns which search shards were indexed again.
 */
export async function writeWebArchive<T extends IssueSummary>(
  input: WebArchiveInput<T>,
  config: Config,
  out: Writer,
): Promise<SearchReport> {
  // Pagefind indexes in its own process while the pages and the rest are written.
  const search = startSearchIndex(
    input.pages.map(({ issue, html }): SearchPage => ({ path: `${issue.id}/index.html`, html })),
    config.locale,
    { cache: input.cache },
  );
  try {
    await writePages(input, config, out);
  } catch (error) {
    await search.abort();
    throw error;
  }
  // The index is wholly generated: stale fragments of an earlier build must not linger.
  await rm(join(out.dir, 'pagefind'), { recursive: true, force: true });
  return search.finish(out);
}

async function writePages<T extends IssueSummary>(
  input: WebArchiveInput<T>,
  config: Config,
  out: Writer,
): Promise<void> {
  for (const { issue, html } of input.pages) {
    await out.write(`${issue.id}/index.html`, html);
    for (const image of issue.images) await out.copy(image.source, `${issue.id}/${image.output}`);
  }

  const { front, years } = archivePages(input.listed);
  const allYears = years.map((group) => ({ year: group.year, count: group.issues.length }));
  await out.write('index.html', renderIndexPage(front, config, { year: undefined, allYears }));
  for (const group of years) {
    await out.write(
      `arkiv/${group.year}/index.html`,
      renderIndexPage([group], config, { year: group.year, allYears }),
    );
  }

  await out.write('feed.xml', renderFeed(input.published, config, input.feedHtml));
  await out.write(
    'sitemap.xml',
    renderSitemap(
      sitemapEntries(
        input.published,
        years.map((group) => group.year),
        config,
      ),
    ),
  );
  await out.write('tillganglighet/index.html', renderStatementPage(config));
  await out.write('prenumerera/index.html', renderSubscribePage(config, await readPublicLists(config.lists)));
  await out.write('sok/index.html', renderSearchPage(config));
  for (const asset of ASSETS) await out.copy(join(TEMPLATES_DIR, 'web', 'assets', asset), `assets/${asset}`);
}

function sitemapEntries(published: readonly IssueSummary[], years: string[], config: Config): SitemapEntry[] {
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
