/**
 * The send stage: plan → preflight → deliver. Entry point {@link sendIssue}; `nyhetsbrev send` and
 * `nyhetsbrev demo` are thin wrappers. The ledger's state machines are drawn in ledger.ts.
 */
import { databaseError, openStore } from '../audience/index.ts';
import type { Config } from '../config/schema.ts';
import { isUserError, type UserError } from '../errors.ts';
import { loadIssueForSend } from './issue.ts';
import type { SendContext, SendOptions, SendResult } from './options.ts';
import { runCampaign } from './run-campaign.ts';
import { secretProblem } from '../secrets/index.ts';
import { testSend } from './test-send.ts';
import { createTransport, TRANSPORT_CAPABILITIES } from './transports/index.ts';
import type { Transport } from './types.ts';
import type { TransportName } from './transport-names.ts';

export { planSend, formatPlan, chunkSizes, type PlanInput, type SendPlan } from './plan.ts';
export { preflight, confirmSend, type PreflightInput } from './preflight.ts';
export { composeEmail, listIdOf, payloadSha256, type ComposeContext } from './compose.ts';
export { tokenSecret, secretProblem, TOKEN_KEY_META } from '../secrets/index.ts';
export type { CampaignResult, SendOptions, SendResult } from './options.ts';

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
  const issue = await loadIssueForSend(config, options.issuesDir, options.issueId, {
    isolate: options.isolateBuild ?? false,
    signal: options.signal,
  });
  if (issue.report) err(issue.report);
  const { transport, transportProblem } = openTransport(config, options, name, env);
  try {
    const context: SendContext = { config, options, issue, transport, transportProblem, name, env, out, err };
    if (options.test) return await testSend(context, options.test);
    const store = openStore(config.database, { env });
    // better-sqlite3's 16 MB page cache fills while the audience is frozen and stays allocated
    // for the whole send; delivering touches a few pages per chunk, so SQLite's own default of
    // 2 MB does (17 MB less at 100,000 recipients, and the freeze no slower).
    store.db.pragma('cache_size = -2000');
    try {
      return await runCampaign({
        ...context,
        store,
        secretProblem: secretProblem(TRANSPORT_CAPABILITIES[name], env),
      });
    } catch (error) {
      throw databaseError(error, config.database);
    } finally {
      store.close();
    }
  } finally {
    await transport?.close();
  }
}

/**
 * The transport to send through, or the user error that kept it from being made (a missing API
 * key): a test send or the preflight reports that in its place.
 */
function openTransport(
  config: Config,
  options: SendOptions,
  name: TransportName,
  env: NodeJS.ProcessEnv,
): { transport: Transport | undefined; transportProblem: UserError | undefined } {
  const { transportOptions, waitClock: clock } = options;
  try {
    const transport = createTransport(config, {
      name,
      env,
      ...transportOptions,
      resend: { clock, ...transportOptions?.resend },
    });
    return { transport, transportProblem: undefined };
  } catch (error) {
    if (!isUserError(error)) throw error;
    return { transport: undefined, transportProblem: error };
  }
}
