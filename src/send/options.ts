import type { Store } from '../audience/index.ts';
import type { Config } from '../config/schema.ts';
import type { UserError } from '../errors.ts';
import type { IssueForSend } from './issue.ts';
import type { Campaign, DeliveryCounts } from './ledger.ts';
import type { SendPlan } from './plan.ts';
import type { CreateTransportOptions, MonotonicClock, RetryPolicy } from './transports/index.ts';
import type { Transport, TransportName } from './types.ts';

/**
 * The send stage's own types: what `sendIssue` is asked ({@link SendOptions}), what it hands down
 * to the test send and the campaign ({@link SendContext}, {@link CampaignContext}) and what they
 * return. Apart from the modules that use them, so that none of those imports another's caller.
 */

/** Options of `sendIssue`: the `send` command's flags plus the process's I/O. */
export interface SendOptions {
  issueId: string;
  /** The archive folder (`--issues`, default `issues`). */
  issuesDir: string;
  /** `--list`: list ids; default every list of lists.yml. */
  lists?: readonly string[] | undefined;
  /** `--transport`; default `transport.default` of the config. */
  transport?: TransportName | undefined;
  dryRun?: boolean | undefined;
  yes?: boolean | undefined;
  /**
   * Build and check the issue in a child process (issue-child.ts), so this process never loads
   * the renderers: what the CLI does. Default false: in this process, as library callers and
   * tests have it.
   */
  isolateBuild?: boolean | undefined;
  /** `--test ADDR…`: "[TEST]" copies to these addresses only; the ledger is not touched. */
  test?: readonly string[] | undefined;
  /** `--uncertain`: what to do with recipients whose earlier delivery has an unknown outcome. */
  uncertain?: 'skip' | 'resend' | undefined;
  /** Where secrets come from. Default `process.env`. */
  env?: NodeJS.ProcessEnv | undefined;
  /** A person can answer the confirmation prompt. Default false. */
  interactive?: boolean | undefined;
  /** Show a progress bar on stderr. Default false (pipes and CI get only the summary). */
  progress?: boolean | undefined;
  ask?: ((question: string) => Promise<string>) | undefined;
  /** Lines for stdout (plan, summary) and stderr (content messages, warnings). */
  out?: ((text: string) => void) | undefined;
  err?: ((text: string) => void) | undefined;
  transportOptions?: Omit<CreateTransportOptions, 'name' | 'env'> | undefined;
  policy?: RetryPolicy | undefined;
  /**
   * The clock the send waits on: the retry backoff's, and the Resend pacer's unless
   * `transportOptions.resend.clock` names another. Default the process's (tests pass a fake one).
   */
  waitClock?: MonotonicClock | undefined;
  /** Chunks in flight at once; default the transport's `capabilities.concurrency`. */
  concurrency?: number | undefined;
  /** Aborting it (Ctrl-C) stops the send cleanly; the ledger says where it stood. */
  signal?: AbortSignal | undefined;
  /** `--dry-run`: called with the plan and every preflight problem before they are printed (for `--json`, `--at`). */
  onPlan?: ((plan: SendPlan, problems: readonly UserError[]) => void) | undefined;
}

/** What a campaign run did. */
export type CampaignResult =
  | { outcome: 'already-sent'; campaign: Campaign; counts: DeliveryCounts }
  | { outcome: 'dry-run'; plan: SendPlan }
  | { outcome: 'complete'; campaign: Campaign; counts: DeliveryCounts };

/** How a send ended without an error. */
export type SendResult =
  { outcome: 'test'; sent: number; failed: number } | { outcome: 'dry-run' } | CampaignResult;

/** What `sendIssue` gathered before choosing between a test send and the campaign. */
export interface SendContext {
  config: Config;
  options: SendOptions;
  issue: IssueForSend;
  /** Undefined when it could not be created: then `transportProblem` says why. */
  transport: Transport | undefined;
  transportProblem: UserError | undefined;
  name: TransportName;
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Everything `runCampaign` works with: the send context, the open store and the secret's check. */
export interface CampaignContext extends SendContext {
  store: Store;
  secretProblem: UserError | undefined;
}
