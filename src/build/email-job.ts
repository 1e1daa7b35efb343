import { assembleIssue, type IssueSummary } from '../assemble/index.ts';
import type { BuiltEmail } from '../cache/emails.ts';
import type { Config } from '../config/schema.ts';
import type { Issue } from '../model.ts';
import { parseIssue } from '../parse/index.ts';
import { textFile, type RawIssue } from '../read/index.ts';
import { renderEmail } from '../render/email.ts';
import { personalise, SAMPLE_TOKEN, unsubscribeUrl } from '../render/personalise.ts';

/** One issue folder's files as bytes (`issue.md` first), whose email to render. */
export interface EmailJob {
  dir: string;
  id: string;
  paths: string[];
  bytes: Uint8Array[];
}

/** What rendering an email needs of the archive: every issue's summary, and the published ones newest first. */
export interface EmailContext {
  issues: IssueSummary[];
  published: IssueSummary[];
}

/**
 * The email `build` writes for an issue (read → parse → assemble → render, as `buildIssue`
 * does it, with the sample recipient's links), from its bytes. Undefined when any file gets a
 * message, in parsing or rendering: such an issue is rendered again by the caller, so its
 * messages come out as the build reports them, and it is never cached.
 */
export async function emailJob(
  job: EmailJob,
  config: Config,
  context: EmailContext,
): Promise<BuiltEmail | undefined> {
  const [issueFile, ...sectionFiles] = job.paths.map((path, index) => textFile(path, job.bytes[index]!));
  const raw: RawIssue = { id: job.id, dir: job.dir, issueFile: issueFile!, sectionFiles };
  const result = parseIssue(raw, config);
  if (!result.issue || result.files.some((file) => file.messages.length > 0)) return undefined;
  const issue: Issue = assembleIssue(result.issue, context.issues, config, context.published);
  const email = await renderEmail(issue, config);
  if (result.files.some((file) => file.messages.length > 0)) return undefined;
  return personalise(email, { unsubscribeUrl: unsubscribeUrl(config, SAMPLE_TOKEN) });
}
