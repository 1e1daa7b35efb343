import type { VFile } from 'vfile';
import { archiveContext, archiveIssues } from '../assemble/index.ts';
import { defaultCacheDir, fingerprint } from '../cache/index.ts';
import { OutputMemo } from '../cache/outputs.ts';
import type { Config } from '../config/schema.ts';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { compileArchive, type CompiledArchive, type LoadOptions } from '../pipeline.ts';
import type { CompiledIssue } from '../render/compile.ts';
import { hasErrors } from '../report/message.ts';
import { summariesDigest } from './digests.ts';
import { growHeapsSlowly } from './heap.ts';
import { issuePages } from './issue-pages.ts';
import type { SearchReport } from './search.ts';
import { writeWebArchive, type SiteMemo } from './web.ts';
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
   * Where the build keeps compiled issues, emails and search index shards between builds (see
   * `src/cache`); false for no cache. Default {@link defaultCacheDir} (the environment, then the
   * config's `cache.dir`).
   */
  cache?: string | false;
  /** Worker threads that parse besides the main one; default one per further core. */
  threads?: number;
}

/** Which emails a build rendered, and which it took from the cache (ids in build order). */
export interface EmailReport {
  rendered: string[];
  cached: string[];
}

/** The outcome: files with messages, and the paths written (none when there were errors). */
export interface BuildResult {
  files: VFile[];
  written: string[];
  built: string[];
  /** The search index's shards and those Pagefind indexed again (absent when nothing was written). */
  search?: SearchReport;
  /** Which emails were rendered and which came from the cache (absent without emails). */
  emails?: EmailReport;
}

/**
 * Builds email (HTML + text) into `<outDir>/email/` and the web archive into `<outDir>/web/`.
 * Content errors in the issues being built stop the build before anything is written; they are
 * returned as messages on `files`. Failures of the build itself (templates, search index) throw.
 * Issues are compiled on every core; with the cache (the default), unchanged issues are neither
 * parsed nor rendered again, and neither are their emails (see `src/cache`). The output is the
 * same, byte for byte, with or without the cache. While it runs, the process's heaps grow slowly
 * (`growHeapsSlowly`): a cold build of 1,000 issues peaks near 230 MB, not 300.
 */
export async function buildSite(config: Config, options: BuildOptions): Promise<BuildResult> {
  const restore = growHeapsSlowly();
  try {
    return await buildWith(config, options);
  } finally {
    restore();
  }
}

async function buildWith(config: Config, options: BuildOptions): Promise<BuildResult> {
  const cache = options.cache ?? defaultCacheDir(process.env, process.cwd(), { config });
  const archive = await compileArchive(options.issuesDir, config, { cache, threads: options.threads });
  const ids = selectIds(archive, options);
  if (hasErrors(relevantFiles(archive, ids, options.ids.length === 0))) return nothingWritten(archive);

  const out = new Writer(options.outDir);
  const emails =
    options.email === false
      ? undefined
      : await writeEmails(archive, ids, config, out, { cache, threads: options.threads });
  const search = await writeSite(archive, ids, config, { ...options, cache }, out.sub('web'));
  return { files: archive.files, written: out.written, built: ids, search, ...(emails && { emails }) };
}

/**
 * Writes `email/<id>.html` and `email/<id>.txt` for each of `ids`: the email as sent, with the
 * sample recipient's links, from `renderEmails` (the loading step's cache and threads).
 */
async function writeEmails(
  archive: CompiledArchive,
  ids: readonly string[],
  config: Config,
  out: Writer,
  options: LoadOptions,
): Promise<EmailReport> {
  // Only a build with emails loads their modules (and MJML, see `renderIssueEmail`).
  const { renderEmails } = await import('../load/emails.ts');
  const { emails, rendered, cached } = await renderEmails(archive, ids, config, options);
  for (const { id, email } of emails) {
    await out.write(`email/${id}.html`, email.html);
    await out.write(`email/${id}.txt`, email.text);
  }
  return { rendered, cached };
}

/**
 * Writes the web archive of `archive`, with the pages of `ids`, into `out`. With a cache, a file
 * whose inputs did not change since a build into the same folder, which still holds it, is not
 * rendered again (see `src/cache/outputs.ts`).
 */
async function writeSite(
  archive: CompiledArchive,
  ids: readonly string[],
  config: Config,
  options: BuildOptions & { cache: string | false },
  out: Writer,
): Promise<SearchReport> {
  const memo: SiteMemo | undefined = options.cache
    ? {
        outputs: OutputMemo.open(options.cache, out.dir, fingerprint(config)),
        summaries: summariesDigest(archive.issues, options.drafts),
      }
    : undefined;
  // Sorted once: assembling each of 500 issues against the archive would sort it 500 times.
  const context = archiveContext(archive.issues);
  const pages = issuePages(archive, context, ids, config, memo);
  const feedHtml = (issue: CompiledIssue) => {
    if (issue.feed === undefined) throw new Error(`buildSite: no feed entry compiled for ${issue.id}`);
    return issue.feed;
  };
  const listed = archiveIssues(archive, { drafts: options.drafts });
  const input = { pages, listed, published: context.published, feedHtml, cache: options.cache, memo };
  const search = await writeWebArchive(input, config, out);
  memo?.outputs.save();
  return search;
}

function nothingWritten(archive: { files: VFile[] }): BuildResult {
  return { files: archive.files, written: [], built: [] };
}

function selectIds(archive: CompiledArchive, options: BuildOptions): string[] {
  const known = archive.issues.map((issue) => issue.id);
  if (options.ids.length === 0)
    return archiveIssues(archive, { drafts: options.drafts })
      .map((issue) => issue.id)
      .sort();
  for (const id of options.ids) {
    if (known.includes(id)) continue;
    const broken = archive.files.some((file) => file.dirname?.endsWith(`/${id}`));
    if (broken) continue; // its errors are reported as messages
    throw new UserError(E.BuildIssueMissing, { id, dir: archive.dir, known });
  }
  return options.ids.filter((id) => known.includes(id));
}

/** The files whose errors stop this build: every file for a full build, else the chosen issues'. */
function relevantFiles(archive: { files: VFile[] }, ids: string[], all: boolean): VFile[] {
  if (all) return archive.files;
  return archive.files.filter((file) => ids.some((id) => file.dirname?.endsWith(`/${id}`)) || !ids.length);
}
