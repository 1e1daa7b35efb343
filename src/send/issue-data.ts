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
