import { existsSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { issueIdOf } from '../check/index.ts';
import type { ParsedIssue } from '../model.ts';
import type { ParseResult } from '../parse/index.ts';
import { byId } from '../assemble/index.ts';
import type { Archive } from '../pipeline.ts';

/** A new archive with issue `id` replaced by a fresh parse (or removed, when it is unusable). */
export function withIssue(archive: Archive, id: string, parsed: ParseResult): Archive {
  return {
    dir: archive.dir,
    issues: [
      ...archive.issues.filter((issue) => issue.id !== id),
      ...(parsed.issue ? [parsed.issue] : []),
    ].sort(byId),
    files: [...archive.files.filter((file) => issueIdOf(file) !== id), ...parsed.files],
  };
}

/** True when `path` is `dir` or inside it. */
export function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep));
}

/** What other issues' teasers and page links show of an issue. */
export function teaserKey(issue: ParsedIssue | undefined): string {
  if (!issue) return '';
  const { title, date, status, monthLabel } = issue.meta;
  return JSON.stringify([title, date, status, monthLabel, issue.introText]);
}

/** True when the archive folder is itself one issue (it holds `issue.md`). */
function singleIssue(root: string): boolean {
  return existsSync(join(root, 'issue.md'));
}

/** The folder of issue `id`: the archive folder itself when it is a single issue. */
export function issueDir(root: string, id: string): string {
  return singleIssue(root) && id === basename(root) ? root : join(root, id);
}

/** The issue a path inside the archive belongs to; undefined for hidden entries. */
export function issueIdOfPath(root: string, path: string): string | undefined {
  if (singleIssue(root)) return basename(root);
  const first = relative(root, path).split(sep)[0];
  return first && !first.startsWith('.') ? first : undefined;
}
