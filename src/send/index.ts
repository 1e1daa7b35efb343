/**
 * The send stage: plan → preflight → deliver. Entry point {@link sendIssue}; `nyhetsbrev send` and
 * `nyhetsbrev demo` are thin wrappers. The ledger's state machines are drawn in ledger.ts.
 */
import { databaseError, openStore } from '../audience/index.ts';
import type { Config } from '../config/schema.ts';
import { isUserError, UserError } from '../errors.ts';
import { runCampaign, type CampaignResult } from './campaign.ts';
import { loadIssueForSend } from './issue.ts';
import type { SendPlan } from './plan.ts';
import { preflight } from './preflight.ts';
import { secretProblem } from '../secrets/index.ts';
import { sendTestCopies, testEmails } from './test-send.ts';
import { createTransport, type CreateTransportOptions, type RetryPolicy } from './transports/index.ts';
import type { Transport, TransportName } from './types.ts';

export { planSend, formatPlan, chunkSizes, type PlanInput, type SendPlan } from './plan.ts';
export { preflight, confirmSend, type PreflightInput } from './preflight.ts';
export { composeEmail, listIdOf, payloadSha256, type ComposeContext } from './compose.ts';
export { tokenSecret, secretProblem, TOKEN_KEY_META } from '../secrets/index.ts';
export type { CampaignResult } from './campaign.ts';

/** Options of {@link sendIssue}: the `send` command's flags plus the process's I/O. */
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
  /** Chunks in flight at once; default 4 for Resend, 1 otherwise. */
  concurrency?: number | undefined;
  /** Aborting it (Ctrl-C) stops the send cleanly; the ledger says where it stood. */
  signal?: AbortSignal | undefined;
  /** `--dry-run`: called with the plan and every preflight problem before they are printed (for `--json`, `--at`). */
  onPlan?: ((plan: SendPlan, problems: readonly UserError[]) => void) | undefined;
}

/** How a send ended without an error. */
export type SendResult =
  { outcome: 'test'; sent: number; failed: number } | { outcome: 'dry-run' } | CampaignResult;

/**
 * Sends one issue, exactly once per recipient, or resumes its campaign. Content errors, a draft, a
 * missing secret or an unconfirmed send throw `SendRefused`/`SecretMissing` before anything is
 * written; a stop during delivery (quota, auth, uncertain chunks, Ctrl-C) prints the summary and
 * throws `SendStopped` saying what state the campaign is in and how to resume.
 */
export async function sendIssue(config: Config, options: SendOptions): Promise<SendResult> {
  const env = options.env ?? process.env;
  const out = options.out ?? ((text: string) => void process.stdout.write(`${text}\n`));
  const err = options.err ?? ((text: string) => void process.stderr.write(`${text}\n`));
  const name = options.transport ?? config.transport.default;
  const issue = await loadIssueForSend(config, options.issuesDir, options.issueId);
  if (issue.report) err(issue.report);
  let transport: Transport | undefined;
  let transportProblem: UserError | undefined;
  try {
    transport = createTransport(config, { name, env, ...options.transportOptions });
  } catch (error) {
    if (!isUserError(error)) throw error;
    transportProblem = error;
  }
  try {
    const context = { config, options, issue, transport, transportProblem, name, env, out, err };
    if (options.test) return await testSend(context, options.test);
    const store = openStore(config.database, { env });
    try {
      return await runCampaign({ ...context, store, secretProblem: secretProblem(name, env) });
    } catch (error) {
      throw databaseError(error, config.database);
    } finally {
      store.close();
    }
  } finally {
    await transport?.close();
  }
}

async function testSend(
  context: {
    config: Config;
    options: SendOptions;
    issue: Awaited<ReturnType<typeof loadIssueForSend>>;
    transport: Transport | undefined;
    transportProblem: UserError | undefined;
    out: (text: string) => void;
  },
  addresses: readonly string[],
): Promise<SendResult> {
  const { config, options, issue, out } = context;
  const problems = preflight({
    issueId: options.issueId,
    status: issue.built?.issue.meta.status ?? 'ready',
    errors: issue.errors,
    test: true,
    transportProblem: context.transportProblem,
    toSend: addresses.length,
  });
  if (problems[0]) throw problems[0];
  const built = issue.built!;
  if (options.dryRun) {
    const emails = testEmails(config, options.issueId, built.email, addresses);
    out(
      `Would send ${emails.length} test copies of ${options.issueId} ("[TEST] ${built.email.subject}") via ${context.transport!.name} to ${emails.map((e) => e.to).join(', ')}. Nothing was sent (dry run).`,
    );
    return { outcome: 'dry-run' };
  }
  const results = await sendTestCopies({
    config,
    issueId: options.issueId,
    email: built.email,
    addresses,
    transport: context.transport!,
    policy: options.policy,
    signal: options.signal,
  });
  const sent = results.filter((r) => r.status === 'sent');
  const failed = results.flatMap((r) =>
    r.status === 'sent'
      ? []
      : [`  ${r.to}: ${r.status === 'uncertain' ? 'outcome unknown, ' : ''}${r.reason}`],
  );
  out(
    `Sent ${sent.length} test cop${sent.length === 1 ? 'y' : 'ies'} of ${options.issueId} via ${context.transport!.name} to ${sent.map((r) => r.to).join(', ') || 'nobody'}. The campaign was not touched.`,
  );
  if (failed.length > 0) {
    throw new UserError(
      'SendStopped',
      `${failed.length} test cop${failed.length === 1 ? 'y' : 'ies'} failed:\n${failed.join('\n')}`,
      {
        hint: 'Check the addresses; the campaign itself was not touched.',
      },
    );
  }
  return { outcome: 'test', sent: sent.length, failed: failed.length };
}
