import { checkIssue } from '../check/index.ts';
import type { Config } from '../config/schema.ts';
import { loadArchive } from '../pipeline.ts';
import { formatMessages } from '../report/reporter.ts';
import type { IssueForSend } from './issue-data.ts';

/**
 * `checkIssue` builds the issue with the renderers `build` and `preview` use and runs every
 * `check` rule over it, so a send is refused on exactly the errors `nyhetsbrev check` reports.
 * The rest of the archive is read as the summaries its teasers need. Keeps only what the send
 * uses. Throws `IssueNotFound` for an unknown id.
 */
export async function buildIssueForSend(
  config: Config,
  issuesDir: string,
  id: string,
): Promise<IssueForSend> {
  const archive = await loadArchive(issuesDir, config, { only: [id] });
  const result = await checkIssue(archive, id, config);
  const built = result.built && {
    email: {
      subject: result.built.email.subject,
      preheader: result.built.email.preheader,
      html: result.built.email.html,
      text: result.built.email.text,
    },
    status: result.built.issue.meta.status,
  };
  return { built, errors: result.summary.errors, report: formatMessages(result.files) };
}
