import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import type { VFile } from 'vfile';
import { archiveContext, assembleIssue, type ArchiveContext, type IssueSummary } from '../assemble/index.ts';
import { cacheScope, fingerprint, issueKey } from '../cache/index.ts';
import { EmailCache, type BuiltEmail } from '../cache/emails.ts';
import type { Config } from '../config/schema.ts';
import { emailJob } from '../load/email-job.ts';
import { runInParallel, type ParallelOptions } from '../load/parallel.ts';
import { parseIssue } from '../parse/index.ts';
import { renderIssueEmail, type CompiledArchive } from '../pipeline.ts';
import { readIssue } from '../read/index.ts';
import { scanIssue, type ScannedIssue } from '../read/scan.ts';
import type { CompiledIssue } from '../render/compile.ts';
import { sampleEmail } from '../render/personalise.ts';
import type { Writer } from './writer.ts';

/** Which emails a build rendered, and which it took from the cache (ids in build order). */
export interface EmailReport {
  rendered: string[];
  cached: string[];
}

/** One email of the build: where it comes from, once known. */
interface Plan {
  compiled: CompiledIssue;
  /** Its issue's cache key; undefined when the issue has messages (never cached). */
  key: string | undefined;
  digest: string | undefined;
  email: BuiltEmail | undefined;
}

/**
 * Writes `email/<id>.html` and `email/<id>.txt` for each of `ids`: the email as sent, with the
 * sample recipient's links (`sampleEmail` of `renderIssueEmail`). An email whose inputs are
 * unchanged since a build that kept it (`cache`, see `src/cache/emails.ts`) is taken from the
 * cache; the others are rendered on every core when there are many (`emailJob`), and kept —
 * unless their issue has messages or rendering added some (MJML's): those are rendered on the
 * main thread, onto the archive's `files`, by every build.
 */
export async function writeEmails(
  archive: CompiledArchive,
  ids: readonly string[],
  config: Config,
  out: Writer,
  { cache, threads }: { cache: string | false; threads?: number | undefined },
): Promise<EmailReport> {
  const emails = cache ? new EmailCache(cache, cacheScope(resolve(archive.dir), config)) : undefined;
  const context = archiveContext(archive.issues);
  const byId = new Map(archive.issues.map((issue) => [issue.id, issue]));
  const plans = ids.map((id): Plan => {
    const compiled = byId.get(id)!;
    const key = archive.keys.get(id);
    const digest = key && emailDigest(key, compiled, context, config);
    return { compiled, key, digest, email: digest ? emails?.get(id, digest) : undefined };
  });
  const report: EmailReport = {
    rendered: plans.filter((plan) => !plan.email).map((plan) => plan.compiled.id),
    cached: plans.filter((plan) => plan.email).map((plan) => plan.compiled.id),
  };

  await renderKeyed(plans, context, config, { threads }, emails);
  const filesOf = filesByFolder(archive.files);
  for (const plan of plans) {
    plan.email ??= await renderWithMessages(plan.compiled, filesOf.get(plan.compiled.dir), context, config);
    await out.write(`email/${plan.compiled.id}.html`, plan.email.html);
    await out.write(`email/${plan.compiled.id}.txt`, plan.email.text);
  }
  emails?.prune(archive.issues.map((issue) => issue.id));
  return report;
}

/**
 * Renders the emails of `plans` that are not known yet and whose issues have no messages, on
 * every core (`emailJob`), from the bytes their keys were made of — an issue edited since it was
 * compiled is left to {@link renderWithMessages}. Sets each plan's `email`, unless the job had
 * messages, and keeps it in `emails`.
 */
async function renderKeyed(
  plans: Plan[],
  archive: ArchiveContext,
  config: Config,
  options: ParallelOptions,
  emails: EmailCache | undefined,
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
  const results = await runInParallel('email', jobs, { config, kind: 'email', context }, options, (job) =>
    emailJob(job, config, context),
  );
  todo.forEach(({ plan }, index) => {
    plan.email = results[index];
    if (plan.email && plan.digest) emails?.set(plan.compiled.id, plan.digest, plan.email);
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

// read → parse of one issue again on the main thread, then `renderIssueEmail` reporting onto the
// archive's own files of the issue, so messages of rendering are the build's.
async function renderWithMessages(
  compiled: CompiledIssue,
  files: VFile[] | undefined,
  archive: ArchiveContext,
  config: Config,
): Promise<BuiltEmail> {
  const parsed = parseIssue(await readIssue(compiled.dir), config).issue;
  if (!parsed) throw new Error(`buildSite: ${compiled.id} could not be parsed again for its email`);
  const issue = files?.length ? { ...parsed, files } : parsed;
  return sampleEmail(await renderIssueEmail(issue, archive, config), config);
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
