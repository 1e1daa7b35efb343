import type { VFile } from 'vfile';
import { assembleIssue, publishedNewestFirst, type IssueSummary } from './assemble/index.ts';
import type { Config } from './config/schema.ts';
import type { Issue, ParsedIssue } from './model.ts';
import { parseIssue } from './parse/index.ts';
import { readArchive } from './read/index.ts';
import { renderEmail, type RenderedEmail } from './render/email.ts';
import { renderIssuePage } from './render/web.ts';

/** Every issue of an archive folder, parsed, plus every file with its messages. */
export interface Archive {
  dir: string;
  /** Parsed issues in id order; issues whose `issue.md` is unusable are left out. */
  issues: ParsedIssue[];
  files: VFile[];
}

/** One issue rendered for both outputs. */
export interface BuiltIssue {
  issue: Issue;
  email: RenderedEmail;
  web: string;
  files: VFile[];
}

/** read → parse, for a whole archive folder. Problems are messages on `files`. */
export async function loadArchive(dir: string, config: Config): Promise<Archive> {
  const raws = await readArchive(dir);
  const results = raws.map((raw) => parseIssue(raw, config));
  return {
    dir,
    issues: results.flatMap((result) => result.issue ?? []),
    files: results.flatMap((result) => result.files),
  };
}

/**
 * assemble → render, for one issue of a loaded archive: the one function `build`, `preview` and
 * `send` share, so what you preview is what you send.
 */
export async function buildIssue(archive: Archive, id: string, config: Config): Promise<BuiltIssue> {
  const parsed = archive.issues.find((issue) => issue.id === id);
  if (!parsed) throw new Error(`buildIssue: no parsed issue ${id}`);
  const issue = assembleIssue(parsed, archive.issues, config);
  const email = await renderEmail(issue, config);
  const web = renderIssuePage(issue, config);
  return { issue, email, web, files: issue.files };
}

/** Issues that belong on the public archive (drafts only when asked), newest first. */
export function archiveIssues<T extends IssueSummary>(
  archive: { issues: readonly T[] },
  { drafts = false } = {},
): T[] {
  if (!drafts) return publishedNewestFirst(archive.issues);
  return [...archive.issues].sort((a, b) =>
    a.meta.date < b.meta.date ? 1 : a.meta.date > b.meta.date ? -1 : a.id < b.id ? 1 : -1,
  );
}
