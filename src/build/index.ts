import type { VFile } from 'vfile';
import { assembleIssue, publishedNewestFirst, type IssueSummary } from '../assemble/index.ts';
import { join } from 'node:path';
import { defaultCacheDir, fingerprint } from '../cache/index.ts';
import { OutputMemo } from '../cache/outputs.ts';
import type { Config } from '../config/schema.ts';
import { UserError } from '../errors.ts';
import type { ParsedIssue } from '../model.ts';
import { archiveIssues, buildIssue, loadArchive } from '../pipeline.ts';
import { hasErrors } from '../report/message.ts';
import { personalise, SAMPLE_TOKEN, unsubscribeUrl } from '../render/personalise.ts';
import { renderIssuePageWith } from '../render/web.ts';
import { compileArchive } from './archive.ts';
import type { CompiledIssue } from './compile.ts';
import { feedEntryHtml } from './feed.ts';
import type { SearchReport } from './search.ts';
import { outputDigest, summariesDigest } from './digests.ts';
import { writeWebArchive, type IssuePage, type SiteMemo } from './web.ts';
import { Writer } from './writer.ts';

/** What to build and where. */
export interface BuildOptions {
  issuesDir: string;
  outDir: string;
  /** Issue ids to build; empty: every published issue (and drafts with `drafts`). */
  ids: string[];
  /** Include draft issues in the archive, marked "Utkast" (never in the feed or sitemap). */
  drafts: boolean;
  /** Also render the emails into `email/` (default true). `publish` needs only the web archive. */
  email?: boolean;
  /**
   * Where the web-only build keeps compiled issues and search index shards between builds (see
   * `src/cache`); false for no cache. Default {@link defaultCacheDir}.
   */
  cache?: string | false;
  /** Worker threads that parse besides the main one; default one per further core. */
  threads?: number;
}

/** The outcome: files with messages, and the paths written (none when there were errors). */
export interface BuildResult {
  files: VFile[];
  written: string[];
  built: string[];
  /** The search index's shards and those Pagefind indexed again (absent when nothing was written). */
  search?: SearchReport;
}

/** An archive as the build steps see it: ids, summaries and every file with its messages. */
interface Loaded<T extends IssueSummary> {
  dir: string;
  issues: T[];
  files: VFile[];
}

/**
 * Builds email (HTML + text) into `<outDir>/email/` and the web archive into `<outDir>/web/`.
 * Content errors in the issues being built stop the build before anything is written; they are
 * returned as messages on `files`. Failures of the build itself (templates, search index) throw.
 * A web-only build (`email: false`) compiles issues on every core and keeps them in the cache.
 */
export async function buildSite(config: Config, options: BuildOptions): Promise<BuildResult> {
  return options.email === false ? buildWeb(config, options) : buildAll(config, options);
}

async function buildAll(config: Config, options: BuildOptions): Promise<BuildResult> {
  const archive = await loadArchive(options.issuesDir, config);
  const ids = selectIds(archive, options);
  if (hasErrors(relevantFiles(archive, ids, options.ids.length === 0))) return nothingWritten(archive);

  const out = new Writer(options.outDir);
  const pages: IssuePage[] = [];
  const sample = { unsubscribeUrl: unsubscribeUrl(config, SAMPLE_TOKEN) };
  for (const id of ids) {
    const built = await buildIssue(archive, id, config);
    const email = personalise(built.email, sample);
    await out.write(`email/${id}.html`, email.html);
    await out.write(`email/${id}.txt`, email.text);
    pages.push({ issue: built.issue, html: built.web });
  }
  const search = await writeArchive(
    archive,
    pages,
    (issue: ParsedIssue) => feedEntryHtml(issue, config),
    config,
    { ...options, cache: false },
    out,
  );
  return { files: archive.files, written: out.written, built: ids, search };
}

async function buildWeb(config: Config, options: BuildOptions): Promise<BuildResult> {
  const cache = options.cache ?? defaultCacheDir();
  const archive = await compileArchive(options.issuesDir, config, { cache, threads: options.threads });
  const ids = selectIds(archive, options);
  if (hasErrors(relevantFiles(archive, ids, options.ids.length === 0))) return nothingWritten(archive);

  const out = new Writer(options.outDir);
  const memo: SiteMemo | undefined = cache
    ? {
        outputs: OutputMemo.open(cache, join(options.outDir, 'web'), fingerprint(config)),
        summaries: summariesDigest(archive.issues, options.drafts),
      }
    : undefined;
  const byId = new Map(archive.issues.map((issue) => [issue.id, issue]));
  // Sorted once: assembling each of 500 issues against the archive would sort it 500 times.
  const published = publishedNewestFirst(archive.issues);
  const pages = ids.map((id): IssuePage => {
    const compiled = byId.get(id)!;
    const key = archive.keys.get(id);
    const digest = memo && key ? outputDigest(memo.summaries, key) : undefined;
    const kept = digest ? memo?.outputs.kept(`${id}/index.html`, digest) : undefined;
    if (kept) return { issue: compiled, html: kept };
    const issue = assembleIssue(compiled, archive.issues, config, published);
    return { issue, html: renderIssuePageWith(issue, compiled.html, config), digest };
  });
  const feedHtml = (issue: CompiledIssue) => {
    if (issue.feed === undefined) throw new Error(`buildSite: no feed entry compiled for ${issue.id}`);
    return issue.feed;
  };
  const search = await writeArchive(archive, pages, feedHtml, config, { ...options, cache }, out, memo);
  memo?.outputs.save();
  return { files: archive.files, written: out.written, built: ids, search };
}

async function writeArchive<T extends IssueSummary>(
  archive: Loaded<T>,
  pages: IssuePage[],
  feedHtml: (issue: T) => string,
  config: Config,
  options: BuildOptions,
  out: Writer,
  memo?: SiteMemo,
): Promise<SearchReport> {
  const listed = archiveIssues(archive, { drafts: options.drafts });
  return writeWebArchive(
    { pages, listed, published: publishedNewestFirst(archive.issues), feedHtml, cache: options.cache, memo },
    config,
    out.sub('web'),
  );
}

function nothingWritten(archive: { files: VFile[] }): BuildResult {
  return { files: archive.files, written: [], built: [] };
}

function selectIds(archive: Loaded<IssueSummary>, options: BuildOptions): string[] {
  const known = archive.issues.map((issue) => issue.id);
  if (options.ids.length === 0)
    return archiveIssues(archive, { drafts: options.drafts })
      .map((issue) => issue.id)
      .sort();
  for (const id of options.ids) {
    if (known.includes(id)) continue;
    const broken = archive.files.some((file) => file.dirname?.endsWith(`/${id}`));
    if (broken) continue; // its errors are reported as messages
    throw new UserError('IssueNotFound', `There is no issue ${id} in ${archive.dir}.`, {
      hint: known.length > 0 ? `Known issues: ${known.join(', ')}.` : 'Create one with `nyhetsbrev new`.',
    });
  }
  return options.ids.filter((id) => known.includes(id));
}

/** The files whose errors stop this build: every file for a full build, else the chosen issues'. */
function relevantFiles(archive: { files: VFile[] }, ids: string[], all: boolean): VFile[] {
  if (all) return archive.files;
  return archive.files.filter((file) => ids.some((id) => file.dirname?.endsWith(`/${id}`)) || !ids.length);
}
