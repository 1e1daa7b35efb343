import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { CalendarIssue } from '../assemble/calendar.ts';
import type { IssueSummary } from '../assemble/index.ts';
import type { KeptFile, OutputMemo } from '../cache/outputs.ts';
import type { Issue } from '../model.ts';
import { readPublicLists } from '../read/lists.ts';
import { archivePages } from '../render/archive-pages.ts';
import { renderFeed } from '../render/feed.ts';
import { calendarFiles } from '../render/ics.ts';
import { renderSearchPage, renderStatementPage, renderSubscribePage } from '../render/pages.ts';
import { renderSitemap } from '../render/sitemap.ts';
import { renderStylesheet } from '../render/stylesheet.ts';
import { TEMPLATES_DIR } from '../render/templates.ts';
import { renderIndexPage, type YearGroup } from '../render/web.ts';
import { outputDigest } from './digests.ts';
import { indexedPage, searchDocument } from './search-document.ts';
import { SearchIndexer, type SearchReport } from './search.ts';
import { planShards } from './search-shards.ts';
import type { OutputFile, Writer } from './writer.ts';

/** An issue page rendered by the pipeline, ready to write (with the images it shows). */
export interface IssuePage {
  issue: Pick<Issue, 'id' | 'images'> & CalendarIssue;
  /**
   * The page, or the file an earlier build wrote from the same inputs (`OutputMemo.kept`): made
   * when the page is written, once.
   */
  html: () => string | KeptFile;
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

/**
 * Writes the web archive into `out` (the site root): issue pages with their images, the archive
 * index (and year pages past 50 issues), `feed.xml`, `sitemap.xml`, the accessibility statement,
 * the subscribe and search pages, assets (the stylesheet with the theme's colours, its logo), and the Pagefind index (in shards, unchanged ones from
 * the cache). Every link is relative, so the site works under any base path. Deterministic: same
 * input, same bytes, with or without the cache. Returns which search shards were indexed again.
 */
export async function writeWebArchive<T extends IssueSummary & CalendarIssue>(
  input: WebArchiveInput<T>,
  config: Config,
  out: Writer,
): Promise<SearchReport> {
  // Shard by shard, the main one (the newest year) first: the shard an edit nearly always touches
  // goes to Pagefind as soon as its pages are written, while the older pages are written.
  const pages = planShards(input.pages.map((page) => ({ path: pagePath(page.issue.id), page }))).flatMap(
    (shard) => shard.pages.map(({ page }) => page),
  );
  const paths = pages.map((page) => pagePath(page.issue.id));
  // Pagefind indexes each shard in its own process as soon as the shard's pages are written.
  const search = config.search.enabled
    ? new SearchIndexer(paths, config.locale, { cache: input.cache })
    : undefined;
  try {
    await out.writeEach(pages, (page) => issueFiles(page, config.locale, search, input.memo, out));
    await writePages(input, config, out);
  } catch (error) {
    await search?.abort();
    throw error;
  }
  const report = search ? await search.finish(out) : { shards: [], rebuilt: [] };
  // The index is wholly generated: files of an earlier build's index must not linger (nor the
  // search page, when search is turned off).
  out.prune('pagefind');
  if (!search) {
    out.prune('sok');
    out.prune('assets');
  }
  return report;
}

async function writePages<T extends IssueSummary & CalendarIssue>(
  input: WebArchiveInput<T>,
  config: Config,
  out: Writer,
): Promise<void> {
  const { front, years } = archivePages(input.listed);
  const yearIds = years.map((group) => group.year);
  await out.writeAll([
    ...listingFiles(front, years, config, input.memo),
    { path: 'feed.xml', content: renderFeed(input.published, config, input.feedHtml) },
    { path: 'sitemap.xml', content: renderSitemap(input.published, yearIds, config) },
    { path: 'tillganglighet/index.html', content: renderStatementPage(config) },
    {
      path: 'prenumerera/index.html',
      content: renderSubscribePage(config, await readPublicLists(config.lists)),
    },
    ...(config.search.enabled ? [{ path: 'sok/index.html', content: renderSearchPage(config) }] : []),
    ...calendarFiles(
      input.pages.map((page) => page.issue),
      input.published,
      config,
    ),
    { path: 'assets/style.css', content: renderStylesheet(config.theme) },
    ...(config.search.enabled
      ? [{ path: 'assets/search.js', source: join(TEMPLATES_DIR, 'web', 'assets', 'search.js') }]
      : []),
    ...themeFiles(config),
  ]);
}

/** The theme's logo files, which the pages and the email show from the archive. */
function themeFiles(config: Config): OutputFile[] {
  const { logo } = config.theme;
  const images = logo ? [logo.light, logo.dark, logo.email.light, logo.email.dark] : [];
  const paths = new Map(images.map((image) => [image.path, image.source]));
  return [...paths].map(([path, source]) => ({ path, source }));
}

const pagePath = (id: string) => `${id}/index.html`;

/**
 * The files of one issue page — the page (or the file kept from an earlier build) and the images
 * it shows — while the page is given to the search index: its document is read back from the
 * written file when Pagefind needs it, so no page is held after it is written.
 */
function issueFiles(
  page: IssuePage,
  language: string,
  search: SearchIndexer | undefined,
  memo: SiteMemo | undefined,
  out: Writer,
): { files: OutputFile[]; written: () => void } {
  const path = pagePath(page.issue.id);
  const html = page.html();
  const images = page.issue.images.map((image) => ({
    path: `${page.issue.id}/${image.output}`,
    source: image.source,
  }));
  const document = () => searchDocument(readFileSync(join(out.dir, path), 'utf8'), language);
  let digest: string;
  if (typeof html === 'string') {
    digest = indexedPage({ path, html }, language).digest;
    if (page.digest) memo?.outputs.record(path, page.digest, html, digest);
  } else {
    digest = html.search ?? indexedPage({ path, html: html.bytes.toString('utf8') }, language).digest;
  }
  const file: OutputFile = typeof html === 'string' ? { path, content: html } : { path, kept: true };
  return { files: [file, ...images], written: () => search?.add({ path, digest, document }) };
}

/**
 * The archive front page and the year pages. They show the archive's summaries only, so with a
 * memo they are kept while the summaries stay the same.
 */
function listingFiles(
  front: YearGroup[],
  years: YearGroup[],
  config: Config,
  memo: SiteMemo | undefined,
): OutputFile[] {
  const allYears = years.map((group) => ({ year: group.year, count: group.issues.length }));
  const listing = (path: string, render: () => string): OutputFile => {
    const digest = memo && outputDigest(memo.summaries, path);
    if (digest && memo?.outputs.kept(path, digest)) return { path, kept: true };
    const content = render();
    if (digest) memo?.outputs.record(path, digest, content);
    return { path, content };
  };
  return [
    listing('index.html', () => renderIndexPage(front, config, { year: undefined, allYears })),
    ...years.map((group) =>
      listing(`arkiv/${group.year}/index.html`, () =>
        renderIndexPage([group], config, { year: group.year, allYears }),
      ),
    ),
  ];
}
