import type { ArchiveContext } from '../assemble/index.ts';
import type { BuiltEmail } from '../cache/emails.ts';
import type { Config } from '../config/schema.ts';
import type { ParsedIssue } from '../model.ts';
import { renderIssueEmail } from '../pipeline.ts';
import { sampleEmail } from '../render/personalise.ts';
import type { IssueBytes } from '../read/scan.ts';
import { parseQuietly } from './jobs.ts';

/**
 * The email `build` writes for an issue, from its files' bytes (on a worker thread, or the main
 * one): `parseQuietly` → {@link sampleIssueEmail}. Undefined when any file gets a message, in
 * parsing or rendering: the caller renders such an issue again, so its messages come out as the
 * build reports them, and it is never cached.
 */
export async function emailJob(
  job: IssueBytes,
  config: Config,
  archive: ArchiveContext,
): Promise<BuiltEmail | undefined> {
  const issue = parseQuietly(job, config);
  if (!issue) return undefined;
  const email = await sampleIssueEmail(issue, archive, config);
  if (issue.files.some((file) => file.messages.length > 0)) return undefined;
  return email;
}

/**
 * The email `build` writes of a parsed issue: `renderIssueEmail` (MJML's problems are messages on
 * `issue.files[0]`) with the sample recipient's links.
 */
export async function sampleIssueEmail(
  issue: ParsedIssue,
  archive: ArchiveContext,
  config: Config,
): Promise<BuiltEmail> {
  return sampleEmail(await renderIssueEmail(issue, archive, config), config);
}
