import { resultCacheDir } from '../cache/results.ts';
import type { Config } from '../config/schema.ts';
import type { IssueForSend } from './issue-data.ts';

export type { IssueForSend, SendableIssue } from './issue-data.ts';

/**
 * read → parse → assemble → render → check, for one issue (see issue-build.ts), in this process
 * or, with `isolate`, in a child process (issue-child.ts): module code is never unloaded, so a
 * sender that renders in-process keeps MJML, the unified stack and Handlebars (over 100 MB) for
 * the whole send. Both give the same result and throw the same `UserError`s (`IssueNotFound`, …).
 * An abort (Ctrl-C, serve stopping) ends the child at once: `SendInterruptedEarly`.
 */
export async function loadIssueForSend(
  config: Config,
  issuesDir: string,
  id: string,
  { isolate = false, signal }: { isolate?: boolean; signal?: AbortSignal | undefined } = {},
): Promise<IssueForSend> {
  if (isolate) {
    const { issueInChild } = await import('./issue-child.ts');
    return issueInChild({ config, issuesDir, id, cacheDir: resultCacheDir() }, signal);
  }
  const { buildIssueForSend } = await import('./issue-build.ts');
  return buildIssueForSend(config, issuesDir, id);
}
