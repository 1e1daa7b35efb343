import type { Config } from '../config/schema.ts';
import { parseIssue, type ParseResult } from '../parse/index.ts';
import { readIssue } from '../read/index.ts';
import { rawIssueOf, type IssueBytes } from '../read/scan.ts';
import { compileIssue, type CompiledIssue } from '../render/compile.ts';
import type { ParsedIssue } from '../model.ts';
import { writeContent } from '../cache/pack.ts';

/**
 * An issue folder's files as bytes, to compile; `feed` also renders its feed entry; `content`:
 * the build cache's file for the issue's page and feed HTML, written by a worker thread that
 * compiles it (see {@link compileForCache}).
 */
export interface CompileJob extends IssueBytes {
  feed: boolean;
  content?: string | undefined;
}

/** A compiled issue whose content (page and feed HTML) was written to the cache file `written`. */
export interface WrittenIssue {
  written: string;
  issue: Omit<CompiledIssue, 'html' | 'feed'>;
}

/**
 * read → parse of one issue folder on the main thread, as `loadArchive` parses each: problems are
 * messages on `files`. What `build` does for issues with messages, whose parse is never cached.
 */
export async function loadIssue(folder: string, config: Config): Promise<ParseResult> {
  return parseIssue(await readIssue(folder), config);
}

/**
 * read → parse of one issue from its files' bytes, as `loadArchive` parses it. Undefined when
 * any file gets a message (or the issue is unusable): the caller then reads and parses it again
 * on its own files, so the messages come out as `loadArchive` gives them.
 */
export function parseQuietly(job: IssueBytes, config: Config): ParsedIssue | undefined {
  const result = parseIssue(rawIssueOf(job), config);
  if (!result.issue || result.files.some((file) => file.messages.length > 0)) return undefined;
  return result.issue;
}

/**
 * {@link compileJob} in a worker thread: with `job.content`, the issue's content is written there
 * and left out of the result, so the main thread neither receives nor writes it. When writing
 * fails, the whole issue (the main thread tries the cache itself).
 */
export function compileForCache(job: CompileJob, config: Config): CompiledIssue | WrittenIssue | undefined {
  const issue = compileJob(job, config);
  if (!issue || !job.content) return issue;
  try {
    writeContent(issue, job.content);
  } catch {
    return issue;
  }
  const { html, feed, ...rest } = issue;
  void html;
  void feed;
  return { written: job.content, issue: rest };
}

/** True when a worker wrote the issue's content (see {@link compileForCache}). */
export function isWritten(result: unknown): result is WrittenIssue {
  return typeof result === 'object' && result !== null && 'written' in result;
}

/** Parses and compiles an issue from its bytes; undefined as {@link parseQuietly}. Never cached then. */
export function compileJob(job: CompileJob, config: Config): CompiledIssue | undefined {
  const issue = parseQuietly(job, config);
  return issue && compileIssue(issue, config, { feed: job.feed });
}
