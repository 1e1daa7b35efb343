/**
 * The JSON that `build`, `publish` and `subscribers import` print with `--json` (README →
 * Machine-readable output; test/cli/json.test.ts pins them). stdout holds one object; the
 * human-readable lines go to stderr. When the command fails, the object is printed first, with
 * `error` set, and the exit code is 1 as without `--json`.
 */
import type { VFile } from 'vfile';
import type { ImportReport } from '../audience/index.ts';
import type { BuildResult } from '../build/index.ts';
import type { PublishResult } from '../publish/index.ts';
import { messagesAsJson, summarise, type Summary } from '../report/reporter.ts';
import type { ErrorJson } from './json.ts';

/** Content messages, as `check --json` prints them. */
export interface MessagesJson {
  summary: Summary;
  messages: object[];
}

/** `build --json`. */
export interface BuildJson extends MessagesJson {
  outDir: string;
  /** Issue ids built, in order. */
  built: string[];
  /** Files written (relative to `outDir`). */
  files: number;
  /** Emails rendered now and taken from the cache; null when no email was built. */
  emails: { rendered: string[]; cached: string[] } | null;
  error: ErrorJson | null;
}

/** `publish --json`. */
export interface PublishJson extends MessagesJson {
  /** The target folder, as given. */
  to: string;
  /** False when the new site was identical to the published one (nothing replaced), or on error. */
  replaced: boolean;
  /** Repairs after an earlier interrupted publish. */
  recovered: string[];
  /** Issue ids added, updated, removed, unchanged, and other files changed; null on error. */
  changes: PublishResult['changes'] | null;
  error: ErrorJson | null;
}

/** `subscribers import --json`. */
export interface ImportJson {
  file: string;
  list: string;
  /** False when `--strict` refused the file: nothing was written. */
  committed: boolean;
  /** Rows that joined at least one list; `created` of them were new addresses. */
  added: number;
  created: number;
  /** Rows already members of all their lists. */
  present: number;
  /** Line numbers skipped because the address unsubscribed, bounced, complained or was forgotten. */
  suppressed: number[];
  duplicates: { line: number; firstLine: number }[];
  rejected: { line: number; reason: string }[];
  error: ErrorJson | null;
}

/** The messages of `files` with their summary. */
export function messagesJson(files: readonly VFile[]): MessagesJson {
  return { summary: summarise(files), messages: messagesAsJson(files) };
}

/** {@link BuildJson} of a build (`result` undefined when it failed before returning one). */
export function buildJson(
  outDir: string,
  result: BuildResult | undefined,
  error: ErrorJson | null,
): BuildJson {
  const ok = result !== undefined && error === null;
  return {
    outDir,
    built: ok ? result.built : [],
    files: ok ? result.written.length : 0,
    emails: ok && result.emails ? { rendered: result.emails.rendered, cached: result.emails.cached } : null,
    ...messagesJson(result?.files ?? []),
    error,
  };
}

/** {@link PublishJson} of a publish (`files` are the messages of a failed one). */
export function publishJson(
  to: string,
  result: PublishResult | undefined,
  error: ErrorJson | null,
  files: readonly VFile[] = [],
): PublishJson {
  return {
    to,
    replaced: result?.replaced ?? false,
    recovered: result?.recovered ?? [],
    changes: result?.changes ?? null,
    ...messagesJson(result?.files ?? files),
    error,
  };
}

/** {@link ImportJson} of an import (`report` undefined when the file could not be read at all). */
export function importJson(
  file: string,
  list: string,
  report: ImportReport | undefined,
  error: ErrorJson | null,
): ImportJson {
  return {
    file,
    list,
    committed: report?.committed ?? false,
    added: report?.added ?? 0,
    created: report?.created ?? 0,
    present: report?.present ?? 0,
    suppressed: report?.suppressed ?? [],
    duplicates: (report?.duplicates ?? []).map(({ line, firstLine }) => ({ line, firstLine })),
    rejected: (report?.rejected ?? []).map(({ line, reason }) => ({ line, reason })),
    error,
  };
}
