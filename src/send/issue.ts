import { checkIssue } from '../check/index.ts';
import type { Config } from '../config/schema.ts';
import { loadArchive, type BuiltIssue } from '../pipeline.ts';
import { formatMessages } from '../report/reporter.ts';

/** An issue as the sender needs it: rendered, with its content problems counted and formatted. */
export interface IssueForSend {
  /** Undefined when `issue.md` is unusable (its errors say why). */
  built: BuiltIssue | undefined;
  /** Errors in the issue's files; any refuses the send. */
  errors: number;
  /** The messages formatted like a linter (empty when there are none). */
  report: string;
}

/**
 * read → parse → assemble → render → check, for one issue: `checkIssue` builds it with the
 * renderers `build` and `preview` use and runs every `check` rule over it, so a send is refused
 * on exactly the errors `nyhetsbrev check` reports. Throws `IssueNotFound` for an unknown id.
 */
export async function loadIssueForSend(config: Config, issuesDir: string, id: string): Promise<IssueForSend> {
  const archive = await loadArchive(issuesDir, config);
  const result = await checkIssue(archive, id, config);
  return { built: result.built, errors: result.summary.errors, report: formatMessages(result.files) };
}
