/**
 * The pipeline: read → parse → assemble → render. `build` (on its worker threads and from its
 * cache too), `preview`, `check` and `send` render an issue's email with {@link renderIssueEmail}
 * and its web page with {@link renderIssueWeb}, so what you preview is what you send and what
 * the archive shows.
 */
import type { VFile } from 'vfile';
import {
  archiveContext,
  assembleIssue,
  byId,
  type ArchiveContext,
  type AssembleInput,
  type IssueSummary,
} from './assemble/index.ts';
import type { Config } from './config/schema.ts';
import type { Issue, ParsedIssue } from './model.ts';
import { parseIssue, summariseIssue } from './parse/index.ts';
import { readArchive, type RawIssue } from './read/index.ts';
import { compileIssue } from './render/compile.ts';
import type { RenderedEmail } from './render/email.ts';
import { renderIssuePage, type IssuePageHtml } from './render/web.ts';

export { archiveIssues } from './assemble/index.ts';
export { compileArchive, type CompiledArchive, type LoadOptions } from './load/index.ts';

/** Every issue of an archive folder, parsed, plus every file with its messages. */
export interface Archive {
  dir: string;
  /** Parsed issues in id order; issues whose `issue.md` is unusable are left out. */
  issues: ParsedIssue[];
  /**
   * Loaded for some issues only (`only`): the other issues, as summaries (made from their
   * `issue.md` alone), in id order; their files are not in `files`.
   */
  others?: IssueSummary[];
  files: VFile[];
}

/** One issue rendered for both outputs. */
export interface BuiltIssue {
  issue: Issue;
  email: RenderedEmail;
  web: string;
  files: VFile[];
}

/** What an issue's web page is rendered from: its summary and its content HTML (`compileIssue`). */
export type PageSource = AssembleInput & Pick<ParsedIssue, 'events'> & { html: IssuePageHtml };

/**
 * read → parse, for a whole archive folder: every issue in full (`check`, `preview`, `send`), or
 * with `only`, those issues in full and the rest as the summaries their teasers need (a tenth of
 * the parsing: `check`/`send` of one issue). Problems are messages on `files`. `build` loads with
 * {@link compileArchive} instead: the same parse, compiled to what the archive needs, from its
 * cache and on every core — and its emails the same way (`renderEmails`, `src/load/emails.ts`,
 * each by {@link renderIssueEmail}).
 */
export async function loadArchive(
  dir: string,
  config: Config,
  { only }: { only?: readonly string[] } = {},
): Promise<Archive> {
  const raws = await readArchive(dir);
  const wanted = (raw: RawIssue) => !only || only.includes(raw.id);
  const results = raws.filter(wanted).map((raw) => parseIssue(raw, config));
  const archive: Archive = {
    dir,
    issues: results.flatMap((result) => result.issue ?? []),
    files: results.flatMap((result) => result.files),
  };
  if (only)
    archive.others = raws.filter((raw) => !wanted(raw)).flatMap((raw) => summariseIssue(raw, config) ?? []);
  return archive;
}

/**
 * assemble → render: an issue's email, recipient tokens in place (see `personalise`). MJML's
 * problems are messages on `issue.files[0]`.
 */
export async function renderIssueEmail(
  issue: ParsedIssue,
  archive: ArchiveContext,
  config: Config,
): Promise<RenderedEmail> {
  // MJML and its minifiers take ≈ 1 s of CPU to load: only a process that renders an email
  // loads them (a `build` of the web archive does not).
  const { renderEmail } = await import('./render/email.ts');
  return renderEmail(assembleIssue(issue, archive.issues, config, archive.published), config);
}

/** assemble → render: an issue's archive page around its compiled content. */
export function renderIssueWeb(issue: PageSource, archive: ArchiveContext, config: Config): string {
  const assembled = assembleIssue(issue, archive.issues, config, archive.published);
  return renderIssuePage(assembled, issue.html, config);
}

/** Both renders of one issue of a loaded archive: what `preview`, `check` and `send` use. */
export async function buildIssue(archive: Archive, id: string, config: Config): Promise<BuiltIssue> {
  const parsed = archive.issues.find((issue) => issue.id === id);
  if (!parsed) throw new Error(`buildIssue: no parsed issue ${id}`);
  const context = archiveContext<IssueSummary>(
    archive.others ? [...archive.issues, ...archive.others].sort(byId) : archive.issues,
  );
  const issue = assembleIssue(parsed, context.issues, config, context.published);
  const email = await renderIssueEmail(parsed, context, config);
  const web = renderIssueWeb(compileIssue(parsed, config), context, config);
  return { issue, email, web, files: issue.files };
}
