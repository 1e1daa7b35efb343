import { resultCacheDir } from '../cache/results.ts';
import type { Config } from '../config/schema.ts';
import type { IssueStatus } from '../model.ts';
import type { RenderedEmail } from '../render/email.ts';

/** What a send uses of the built issue: plain data, so it can come from another process. */
export interface SendableIssue {
  email: Pick<RenderedEmail, 'subject' | 'preheader' | 'html' | 'text'>;
  /** `status:` of its issue.md; drafts are only test-sent. */
  status: IssueStatus;
}

/** An issue as the sender needs it: rendered, with its content problems counted and formatted. */
export interface IssueForSend {
  /** Undefined when `issue.md` is unusable (its errors say why). */
  built: SendableIssue | undefined;
  /** Errors in the issue's files; any refuses the send. */
  errors: number;
  /** The messages formatted like a linter (empty when there are none). */
  report: string;
}

/**
 * read → parse → assemble → render → check, for one issue (see issue-build.ts), in this process
 * or, with `isolate`, in a child process (issue-child.ts): module code is never unloaded, so a
 * sender that renders in-process keeps MJML, the unified stack and Handlebars (over 100 MB) for
 * the whole send. Both give the same result and throw the same `UserError`s (`IssueNotFound`, …).
 */
export async function loadIssueForSend(
  config: Config,
  issuesDir: string,
  id: string,
  { isolate = false }: { isolate?: boolean } = {},
): Promise<IssueForSend> {
  if (isolate) {
    const { issueInChild } = await import('./issue-child.ts');
    return issueInChild({ config, issuesDir, id, cacheDir: resultCacheDir() });
  }
  const { buildIssueForSend } = await import('./issue-build.ts');
  return buildIssueForSend(config, issuesDir, id);
}
