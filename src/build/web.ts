import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { CalendarIssue } from '../assemble/calendar.ts';
import type { IssueSummary } from '../assemble/index.ts';
import type { KeptFile, OutputMemo } from '../cache/outputs.ts';
import type { Issue } from '../model.ts';
import { calendarFiles } from '../render/ics.ts';
import { TEMPLATES_DIR } from '../render/templates.ts';
import { renderIndexPage } from '../render/web.ts';
import { archivePages } from './archive-pages.ts';
import { outputDigest } from './digests.ts';
import { renderFeed } from './feed.ts';
import { readPublicLists } from './lists.ts';
import { renderSearchPage, renderStatementPage, renderSubscribePage } from './pages.ts';
import {
  indexedPage,
  searchDocument,
  startSearchIndex,
  type IndexedPage,
  type SearchReport,
} from './search.ts';
import { renderSitemap, type SitemapEntry } from './sitemap.ts';
import type { OutputFile, Writer } from './writer.ts';

/** An issue page rendered by the pipeline, ready to write (with the images it shows). */
export interface IssuePage {
  issue: Pick<Issue, 'id' | 'images'> & CalendarIssue;
  /** The page, or the file an earlier build wrote from the same inputs (`OutputMemo.kept`). */
  html: string | KeptFile;
  /** The digest of what the page was rendered from, recorded with it when there is a memo. */
  digest?: string | undefined;
}

/** What earlier builds wrote into the site folder, and the digest of the archive's summaries. */
export interface SiteMemo {
  outputs: OutputMemo;
  /** See `summariesDigest`. */
  summaries: string;
}

/** What the web archive is built from (issue summaries: parsed or compiled issues). */
export interface WebArchiveInput<T extends IssueSummary & CalendarIssue = IssueSummary & CalendarIssue> {
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
  /** With a memo, unchanged index and year pages are not rendered again; records what is written. */
  memo?: SiteMemo | undefined;
}

const ASSETS = ['style.css', 'search.js'];

/**
 * Writes the web archive into `out` (the site root): issue pages with their images, the archive
 * index (and year pages past 50 issues), `feed.xml`, `sitemap.xml`, the accessibility statement,
 * the subscribe and search pages, assets, and the Pagefind index (in shards, unchanged ones from
 * the cache). Every link is relative, so the site works under any base path. Deterministic: same
 * input, same bytes, with or without the cache. Returns which search shards were indexed again.
 */
export async function writeWebArchive<T extends IssueSummary & CalendarIssue>(
  input: WebArchiveInput<T>,
  config: Config,
  out: Writer,
): Promise<SearchReport> {
  const indexed = input.pages.map((page) => indexIssuePage(page, config.locale, input.memo));
  // Pagefind indexes in its own process while the pages and the rest are written.
  const search = startSearchIndex(indexed, config.locale, { cache: input.cache });
  try {
    await writePages(input, config, out);
  } catch (error) {
    await search.abort();
    throw error;
  }
  const report = await search.finish(out);
  // The index is wholly generated: files of an earlier build's index must not linger.
  out.prune('pagefind');
  return report;
}

async function writePages<T extends IssueSummary & CalendarIssue>(
  input: WebArchiveInput<T>,
  config: Config,
  out: Writer,
): Promise<void> {
  const files: OutputFile[] = [];
  for (const { issue, html } of input.pages) {
    const path = `${issue.id}/index.html`;
    files.push(typeof html === 'string' ? { path, content: html } : { path, kept: true });
    for (const image of issue.images)
      files.push({ path: `${issue.id}/${image.output}`, source: image.source });
  }

  const { front, years } = archivePages(input.listed);
  const allYears = years.map((group) => ({ year: group.year, count: group.issues.length }));
  // Index and year pages show the archive's summaries only (with a memo, kept while they stay).
  const listing = (path: string, render: () => string): OutputFile => {
    const digest = input.memo && outputDigest(input.memo.summaries, path);
    if (digest && input.memo?.outputs.kept(path, digest)) return { path, kept: true };
    const content = render();
    if (digest) input.memo?.outputs.record(path, digest, content);
    return { path, content };
  };
  files.push(listing('index.html', () => renderIndexPage(front, config, { year: undefined, allYears })));
  for (const group of years) {
    const path = `arkiv/${group.year}/index.html`;
    files.push(listing(path, () => renderIndexPage([group], config, { year: group.year, allYears })));
  }

  const sitemap = sitemapEntries(
    input.published,
    years.map((group) => group.year),
    config,
  );
  files.push(
    { path: 'feed.xml', content: renderFeed(input.published, config, input.feedHtml) },
    { path: 'sitemap.xml', content: renderSitemap(sitemap) },
    { path: 'tillganglighet/index.html', content: renderStatementPage(config) },
    {
      path: 'prenumerera/index.html',
      content: renderSubscribePage(config, await readPublicLists(config.lists)),
    },
    { path: 'sok/index.html', content: renderSearchPage(config) },
    ...calendarFiles(
      input.pages.map((page) => page.issue),
      input.published,
      config,
    ),
    ...ASSETS.map((asset) => ({
      path: `assets/${asset}`,
      source: join(TEMPLATES_DIR, 'web', 'assets', asset),
    })),
  );
  await out.writeAll(files);
}

/** An issue page as the search index sees it; records a rendered page in the memo. */
function indexIssuePage(page: IssuePage, language: string, memo: SiteMemo | undefined): IndexedPage {
  const path = `${page.issue.id}/index.html`;
  const { html } = page;
  if (typeof html === 'string') {
    const indexed = indexedPage({ path, html }, language);
    if (page.digest) memo?.outputs.record(path, page.digest, html, indexed.digest);
    return indexed;
  }
  if (html.search === undefined) return indexedPage({ path, html: html.bytes.toString('utf8') }, language);
  return {
    path,
    digest: html.search,
    document: () => searchDocument(html.bytes.toString('utf8'), language),
  };
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
