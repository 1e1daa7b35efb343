import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import type { VFile } from 'vfile';
import { assembleIssue, publishedNewestFirst, type Assembled } from '../assemble/index.ts';
import { cacheScope } from '../cache/index.ts';
import { EmailCache, type BuiltEmail } from '../cache/emails.ts';
import type { Config } from '../config/schema.ts';
import type { Issue } from '../model.ts';
import { parseIssue } from '../parse/index.ts';
import { readIssue } from '../read/index.ts';
import { renderEmail } from '../render/email.ts';
import { personalise, SAMPLE_TOKEN, unsubscribeUrl } from '../render/personalise.ts';
import type { CompiledArchive } from './archive.ts';
import type { CompiledIssue } from './compile.ts';
import type { Writer } from './writer.ts';

/** Which emails a build rendered, and which it took from the cache (ids in build order). */
export interface EmailReport {
  rendered: string[];
  cached: string[];
}

/**
 * Writes `email/<id>.html` and `email/<id>.txt` for each of `ids`: the email as sent, with the
 * sample recipient's links. An email whose inputs are unchanged since a build that kept it
 * (`cache`, see `src/cache/emails.ts`) is taken from the cache; the others are read, parsed,
 * assembled and rendered like `buildIssue` does, and kept — unless their issue has messages or
 * rendering added some (MJML's), so those are reported by every build. Messages of rendering go
 * onto the archive's `files`.
 */
export async function writeEmails(
  archive: CompiledArchive,
  ids: readonly string[],
  config: Config,
  out: Writer,
  cache: string | false,
): Promise<EmailReport> {
  const emails = cache ? new EmailCache(cache, cacheScope(resolve(archive.dir), config)) : undefined;
  const byId = new Map(archive.issues.map((issue) => [issue.id, issue]));
  const filesOf = filesByFolder(archive.files);
  const published = publishedNewestFirst(archive.issues);
  const report: EmailReport = { rendered: [], cached: [] };
  for (const id of ids) {
    const compiled = byId.get(id)!;
    const key = archive.keys.get(id);
    const digest = key
      ? emailDigest(key, assembleIssue(compiled, archive.issues, config, published))
      : undefined;
    let email = digest ? emails?.get(id, digest) : undefined;
    if (email) report.cached.push(id);
    else {
      const files = filesOf.get(compiled.dir) ?? [];
      const before = files.reduce((sum, file) => sum + file.messages.length, 0);
      email = await renderIssueEmail(compiled, archive, files, config, published);
      const after = files.reduce((sum, file) => sum + file.messages.length, 0);
      if (digest && after === before) emails?.set(id, digest, email);
      report.rendered.push(id);
    }
    await out.write(`email/${id}.html`, email.html);
    await out.write(`email/${id}.txt`, email.text);
  }
  emails?.prune(archive.issues.map((issue) => issue.id));
  return report;
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

// read → parse → assemble → render of one issue, as `buildIssue` does it, against the compiled
// archive (assembling reads only the other issues' summaries, which compiling keeps).
async function renderIssueEmail(
  compiled: CompiledIssue,
  archive: CompiledArchive,
  files: VFile[],
  config: Config,
  published: readonly CompiledIssue[],
): Promise<BuiltEmail> {
  const parsed = parseIssue(await readIssue(compiled.dir), config).issue;
  if (!parsed) throw new Error(`buildSite: ${compiled.id} could not be parsed again for its email`);
  // The archive's own files of the issue, so messages of rendering are reported with the build's.
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
