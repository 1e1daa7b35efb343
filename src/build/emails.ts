import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import type { VFile } from 'vfile';
import { assembleIssue, publishedNewestFirst, type Assembled, type IssueSummary } from '../assemble/index.ts';
import { cacheScope, fingerprint, issueKey } from '../cache/index.ts';
import { EmailCache, type BuiltEmail } from '../cache/emails.ts';
import type { Config } from '../config/schema.ts';
import type { Issue } from '../model.ts';
import { parseIssue } from '../parse/index.ts';
import { readIssue } from '../read/index.ts';
import { scanIssue } from '../read/scan.ts';
import { renderEmail } from '../render/email.ts';
import { personalise, SAMPLE_TOKEN, unsubscribeUrl } from '../render/personalise.ts';
import type { CompiledArchive } from './archive.ts';
import type { CompiledIssue } from './compile.ts';
import { emailJob, type EmailContext, type EmailJob } from './email-job.ts';
import { runInParallel, type ParallelOptions } from './parallel.ts';
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
 * sample recipient's links. An email whose inputs are unchanged since a build that kept it
 * (`cache`, see `src/cache/emails.ts`) is taken from the cache; the others are rendered like
 * `buildIssue` does it (read → parse → assemble → render), on every core when there are many,
 * and kept — unless their issue has messages or rendering added some (MJML's): those are
 * rendered on the main thread, onto the archive's `files`, by every build.
 */
export async function writeEmails(
  archive: CompiledArchive,
  ids: readonly string[],
  config: Config,
  out: Writer,
  { cache, threads }: { cache: string | false; threads?: number | undefined },
): Promise<EmailReport> {
  const emails = cache ? new EmailCache(cache, cacheScope(resolve(archive.dir), config)) : undefined;
  const byId = new Map(archive.issues.map((issue) => [issue.id, issue]));
  const published = publishedNewestFirst(archive.issues);
  const plans = ids.map((id): Plan => {
    const compiled = byId.get(id)!;
    const key = archive.keys.get(id);
    const digest = key && emailDigest(key, assembleIssue(compiled, archive.issues, config, published));
    return { compiled, key, digest, email: digest ? emails?.get(id, digest) : undefined };
  });
  const report: EmailReport = {
    rendered: plans.filter((plan) => !plan.email).map((plan) => plan.compiled.id),
    cached: plans.filter((plan) => plan.email).map((plan) => plan.compiled.id),
  };

  await renderKeyed(plans, archive, config, { threads }, emails);
  const filesOf = filesByFolder(archive.files);
  for (const plan of plans) {
    plan.email ??= await renderWithMessages(plan.compiled, archive, filesOf, config, published);
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
  archive: CompiledArchive,
  config: Config,
  options: ParallelOptions,
  emails: EmailCache | undefined,
): Promise<void> {
  const print = fingerprint(config);
  const todo: { plan: Plan; job: EmailJob }[] = [];
  for (const plan of plans) {
    if (plan.email || !plan.key) continue;
    const scanned = scanIssue(plan.compiled.dir);
    if (scanned && issueKey(print, scanned.dir, scanned.paths, scanned.bytes) === plan.key)
      todo.push({ plan, job: scanned });
  }
  const summary = (issue: IssueSummary): IssueSummary => ({
    id: issue.id,
    meta: issue.meta,
    introText: issue.introText,
  });
  const context: EmailContext = {
    issues: archive.issues.map(summary),
    published: publishedNewestFirst(archive.issues).map(summary),
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
function emailDigest(key: string, issue: Assembled): string {
  const shown = { teasers: issue.teasers.email, previous: issue.previous, next: issue.next };
  return createHash('sha256')
    .update(`email 1\0${key}\0${JSON.stringify(shown)}`)
    .digest('hex');
}

// read → parse → assemble → render of one issue on the main thread, as `buildIssue` does it,
// reporting onto the archive's own files of the issue, so messages of rendering are the build's.
async function renderWithMessages(
  compiled: CompiledIssue,
  archive: CompiledArchive,
  filesOf: Map<string, VFile[]>,
  config: Config,
  published: readonly CompiledIssue[],
): Promise<BuiltEmail> {
  const parsed = parseIssue(await readIssue(compiled.dir), config).issue;
  if (!parsed) throw new Error(`buildSite: ${compiled.id} could not be parsed again for its email`);
  const files = filesOf.get(compiled.dir) ?? [];
  const issue: Issue = {
    ...assembleIssue(parsed, archive.issues, config, published),
    files: files.length > 0 ? files : parsed.files,
  };
  const rendered = await renderEmail(issue, config);
  return personalise(rendered, { unsubscribeUrl: unsubscribeUrl(config, SAMPLE_TOKEN) });
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
