import type { Config } from '../config/schema.ts';
import { parseIssue } from '../parse/index.ts';
import { rawIssueOf, type IssueBytes } from '../read/scan.ts';
import { compileIssue, type CompiledIssue } from '../render/compile.ts';
import type { ParsedIssue } from '../model.ts';

/** An issue folder's files as bytes, to compile; `feed` also renders its feed entry. */
export interface CompileJob extends IssueBytes {
  feed: boolean;
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

/** Parses and compiles an issue from its bytes; undefined as {@link parseQuietly}. Never cached then. */
export function compileJob(job: CompileJob, config: Config): CompiledIssue | undefined {
  const issue = parseQuietly(job, config);
  return issue && compileIssue(issue, config, { feed: job.feed });
}
