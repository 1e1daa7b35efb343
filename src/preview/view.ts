import { checkIssue, type CheckResult, type EmailSizes } from '../check/index.ts';
import type { Config } from '../config/schema.ts';
import type { Archive, BuiltIssue } from '../pipeline.ts';
import { toFailure, type Failure } from './failure.ts';

/** The preview's state of one issue. */
export interface IssueView {
  id: string;
  /** Bumped on every rebuild; pages compare it to know they are current. */
  version: number;
  /** The newest check: files with messages, the render when it succeeded. */
  result: CheckResult | undefined;
  /** Set when the rebuild threw (template error, bug); `result` is then undefined. */
  failure: Failure | undefined;
  /** The newest successful render: this rebuild's, or an earlier one while the issue is broken. */
  shown: { built: BuiltIssue; sizes: EmailSizes } | undefined;
  /** True when something it depends on changed (another issue's teaser, a template). */
  stale: boolean;
}

/** What changed, for open pages: issue ids, or `*` for everything. */
export interface Update {
  ids: string[] | '*';
  version: number;
}

/** What one check of an issue found: {@link IssueView} without the bookkeeping. */
export type Checked = Pick<IssueView, 'result' | 'failure' | 'shown'>;

/**
 * Checks issue `id` of the archive. Never throws: a throw of the check becomes `failure`; `shown`
 * is this check's render, undefined when it did not get that far.
 */
export async function checkView(archive: Archive, id: string, config: Config): Promise<Checked> {
  let result: CheckResult | undefined;
  let failure: Failure | undefined;
  try {
    result = await checkIssue(archive, id, config);
  } catch (error) {
    failure = toFailure(error);
  }
  const shown = result?.built && result.sizes ? { built: result.built, sizes: result.sizes } : undefined;
  return { result, failure, shown };
}
