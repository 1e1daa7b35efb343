import type { ArchiveContext } from '../assemble/index.ts';
import type { BuiltEmail } from '../cache/emails.ts';
import type { Config } from '../config/schema.ts';
import { renderIssueEmail } from '../pipeline.ts';
import { sampleEmail } from '../render/personalise.ts';
import type { IssueBytes } from '../read/scan.ts';
import { parseQuietly } from './jobs.ts';

/**
 * The email `build` writes for an issue, from its files' bytes (on a worker thread, or the main
 * one): `parseQuietly` → `renderIssueEmail` → the sample recipient's links. Undefined when any
 * file gets a message, in parsing or rendering: the caller renders such an issue again, so its
 * messages come out as the build reports them, and it is never cached.
 */
export async function emailJob(
  job: IssueBytes,
  config: Config,
  archive: ArchiveContext,
): Promise<BuiltEmail | undefined> {
  const issue = parseQuietly(job, config);
  if (!issue) return undefined;
  const email = await renderIssueEmail(issue, archive, config);
  if (issue.files.some((file) => file.messages.length > 0)) return undefined;
  return sampleEmail(email, config);
}
