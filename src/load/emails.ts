/**
 * The emails of `build`'s loading step: each issue's email as sent, with the sample recipient's
 * links, for an archive loaded with `compileArchive` — with the build cache and worker threads as
 * options, as `compileArchive` has them. Every email is rendered by `renderIssueEmail`.
 */
import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import type { VFile } from 'vfile';
import { archiveContext, assembleIssue, type ArchiveContext, type IssueSummary } from '../assemble/index.ts';
import { cacheScope, fingerprint, issueKey } from '../cache/index.ts';
import { EmailCache, type BuiltEmail } from '../cache/emails.ts';
import type { Config } from '../config/schema.ts';
import { scanIssue, type ScannedIssue } from '../read/scan.ts';
import type { CompiledIssue } from '../render/compile.ts';
import { emailJob, sampleIssueEmail } from './email-job.ts';
import { loadIssue } from './jobs.ts';
import type { CompiledArchive, LoadOptions } from './index.ts';
import { runInParallel } from './parallel.ts';

/**
 * Options of {@link renderEmails}: those of `compileArchive`; `mainThread: false` leaves every
 * email rendered from its bytes to the worker threads, however few (for tests of that path).
 */
export interface EmailOptions extends LoadOptions {
  mainThread?: boolean | undefined;
}

/** The emails of {@link renderEmails}, in the order asked for, and which came from the cache. */
export interface ArchiveEmails {
  emails: { id: string; email: BuiltEmail }[];
  rendered: string[];
  cached: string[];
}

/** One email: where it comes from, once known. */
interface Plan {
  compiled: CompiledIssue;
  /** Its issue's cache key; undefined when the issue has messages (never cached). */
  key: string | undefined;
  digest: string | undefined;
  email: BuiltEmail | undefined;
}

/**
 * The email of each issue of `ids` (compiled issues of `archive`) as `build` writes it:
 * `renderIssueEmail` with the sample recipient's links. An email whose inputs are unchanged since
 * a build that kept it (`cache`, see `src/cache/emails.ts`) is taken from the cache; the others
 * are rendered on every core when there are many (`emailJob`), and kept — unless their issue has
 * messages or rendering added some (MJML's): those are rendered on the main thread, their
 * messages onto the archive's `files`, by every build.
 */
export async function renderEmails(
  archive: CompiledArchive,
  ids: readonly string[],
  config: Config,
  options: EmailOptions,
): Promise<ArchiveEmails> {
  const cache = options.cache
    ? new EmailCache(options.cache, cacheScope(resolve(archive.dir), config))
    : undefined;
  const context = archiveContext(archive.issues);
  const plans = planEmails(archive, ids, context, config, cache);
  const rendered = plans.filter((plan) => !plan.email).map((plan) => plan.compiled.id);
  const cached = plans.filter((plan) => plan.email).map((plan) => plan.compiled.id);

  await renderQuietly(plans, context, config, options, cache);
  const filesOf = filesByFolder(archive.files);
  for (const plan of plans)
    plan.email ??= await renderWithMessages(plan.compiled, filesOf.get(plan.compiled.dir), context, config);
  cache?.prune(archive.issues.map((issue) => issue.id));
  return { emails: plans.map((plan) => ({ id: plan.compiled.id, email: plan.email! })), rendered, cached };
}

/** The plan of each email of `ids`, with the kept email of those the cache has. */
function planEmails(
  archive: CompiledArchive,
  ids: readonly string[],
  context: ArchiveContext,
  config: Config,
  cache: EmailCache | undefined,
): Plan[] {
  const byId = new Map(archive.issues.map((issue) => [issue.id, issue]));
  return ids.map((id): Plan => {
    const compiled = byId.get(id)!;
    const key = archive.keys.get(id);
    const digest = key && emailDigest(key, compiled, context, config);
    return { compiled, key, digest, email: digest ? cache?.get(id, digest) : undefined };
  });
}

/**
 * Renders the emails of `plans` that are not known yet and whose issues have no messages, on
 * every core (`emailJob`), from the bytes their keys were made of — an issue edited since it was
 * compiled is left to {@link renderWithMessages}. Sets each plan's `email`, unless the job had
 * messages, and keeps it in `cache`.
 */
async function renderQuietly(
  plans: Plan[],
  archive: ArchiveContext,
  config: Config,
  { threads, mainThread }: EmailOptions,
  cache: EmailCache | undefined,
): Promise<void> {
  const print = fingerprint(config);
  const todo: { plan: Plan; job: ScannedIssue }[] = [];
  for (const plan of plans) {
    if (plan.email || !plan.key) continue;
    const scanned = scanIssue(plan.compiled.dir);
    if (scanned && issueKey(print, scanned.dir, scanned.paths, scanned.bytes) === plan.key)
      todo.push({ plan, job: scanned });
  }
  // Workers are sent the summaries alone: the rest of a compiled issue is not read.
  const summary = ({ id, meta, introText }: IssueSummary): IssueSummary => ({ id, meta, introText });
  const context: ArchiveContext = {
    issues: archive.issues.map(summary),
    published: archive.published.map(summary),
  };
  const jobs = todo.map(({ job }) => job);
  const data = { config, kind: 'email', context } as const;
  const results = await runInParallel('email', jobs, data, { threads, mainThread }, (job) =>
    emailJob(job, config, context),
  );
  todo.forEach(({ plan }, index) => {
    plan.email = results[index];
    if (plan.email && plan.digest) cache?.set(plan.compiled.id, plan.digest, plan.email);
  });
}

/**
 * A digest of what an email is rendered from: its issue's cache key (its files, our sources and
 * templates, the config) and what it shows of other issues — its teasers (the issues published
 * just before it) and, should a template ever show them, previous and next. The web page's
 * teasers (the newest issues) are left out: no email shows them, and they change on every page
 * whenever the newest issue's intro does.
 */
function emailDigest(key: string, issue: CompiledIssue, archive: ArchiveContext, config: Config): string {
  const assembled = assembleIssue(issue, archive.issues, config, archive.published);
  const shown = { teasers: assembled.teasers.email, previous: assembled.previous, next: assembled.next };
  return createHash('sha256')
    .update(`email 1\0${key}\0${JSON.stringify(shown)}`)
    .digest('hex');
}

/**
 * The email of an issue whose messages are the build's: a compiled issue keeps no trees, so it is
 * read and parsed again (`loadIssue`, as `compileArchive` does such issues), then rendered onto
 * the archive's own files of the issue (`files`), so the build reports each message once.
 */
async function renderWithMessages(
  compiled: CompiledIssue,
  files: VFile[] | undefined,
  archive: ArchiveContext,
  config: Config,
): Promise<BuiltEmail> {
  const parsed = (await loadIssue(compiled.dir, config)).issue;
  if (!parsed) throw new Error(`buildSite: ${compiled.id} could not be parsed again for its email`);
  return sampleIssueEmail(files?.length ? { ...parsed, files } : parsed, archive, config);
}

// Each issue folder's files, `issue.md` first (rendering reports on the first).
function filesByFolder(files: readonly VFile[]): Map<string, VFile[]> {
  const map = new Map<string, VFile[]>();
  for (const file of files) {
    const folder = file.dirname ?? '';
    const list = map.get(folder) ?? [];
    if (basename(file.path) === 'issue.md') list.unshift(file);
    else list.push(file);
    map.set(folder, list);
  }
  return map;
}
