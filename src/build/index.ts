import type { VFile } from 'vfile';
import { assembleIssue, publishedNewestFirst } from '../assemble/index.ts';
import type { Config } from '../config/schema.ts';
import { UserError } from '../errors.ts';
import { archiveIssues, buildIssue, loadArchive, type Archive } from '../pipeline.ts';
import { hasErrors } from '../report/message.ts';
import { personalise, SAMPLE_TOKEN, unsubscribeUrl } from '../render/personalise.ts';
import { renderIssuePage } from '../render/web.ts';
import { writeWebArchive, type IssuePage } from './web.ts';
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
}

/** The outcome: files with messages, and the paths written (none when there were errors). */
export interface BuildResult {
  files: VFile[];
  written: string[];
  built: string[];
}

/**
 * Builds email (HTML + text) into `<outDir>/email/` and the web archive into `<outDir>/web/`.
 * Content errors in the issues being built stop the build before anything is written; they are
 * returned as messages on `files`. Failures of the build itself (templates, search index) throw.
 */
export async function buildSite(config: Config, options: BuildOptions): Promise<BuildResult> {
  const archive = await loadArchive(options.issuesDir, config);
  const ids = selectIds(archive, options);
  const relevant = relevantFiles(archive, ids, options.ids.length === 0);
  if (hasErrors(relevant)) return { files: archive.files, written: [], built: [] };

  const out = new Writer(options.outDir);
  const pages: IssuePage[] = [];
  const sample = { unsubscribeUrl: unsubscribeUrl(config, SAMPLE_TOKEN) };
  for (const id of ids) {
    if (options.email === false) {
      pages.push(webOnly(archive, id, config));
      continue;
    }
    const built = await buildIssue(archive, id, config);
    const email = personalise(built.email, sample);
    await out.write(`email/${id}.html`, email.html);
    await out.write(`email/${id}.txt`, email.text);
    pages.push({ issue: built.issue, html: built.web });
  }
  const listed = archiveIssues(archive, { drafts: options.drafts });
  await writeWebArchive(
    { pages, listed, published: publishedNewestFirst(archive.issues) },
    config,
    out.sub('web'),
  );
  return { files: archive.files, written: out.written, built: ids };
}

// The web page alone, as `buildIssue` renders it, without the cost of compiling the email.
function webOnly(archive: Archive, id: string, config: Config): IssuePage {
  const parsed = archive.issues.find((issue) => issue.id === id);
  if (!parsed) throw new Error(`buildSite: no parsed issue ${id}`);
  const issue = assembleIssue(parsed, archive.issues, config);
  return { issue, html: renderIssuePage(issue, config) };
}

function selectIds(archive: Archive, options: BuildOptions): string[] {
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
function relevantFiles(archive: Archive, ids: string[], all: boolean): VFile[] {
  if (all) return archive.files;
  return archive.files.filter((file) => ids.some((id) => file.dirname?.endsWith(`/${id}`)) || !ids.length);
}
