import { setMaxListeners } from 'node:events';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { composeEmail, contentSha256, type ComposeContext } from './compose.ts';
import { deliver, type DeliverStop, type SendableRow } from './deliver.ts';
import type { SendableIssue } from './issue.ts';
import { deliveryCounts, setCampaignStatus, type Campaign } from './ledger.ts';
import { resolveUncertain } from './ledger-chunks.ts';
import { formatWhen } from './plan.ts';
import { acquireSendLock, type SendLock } from './lock.ts';
import type { CampaignContext, CampaignResult } from './options.ts';
import { recoverStartedChunks } from './recover.ts';
import { createProgress, formatSummary, stateLine, uncertainDecided } from './report.ts';
import { tokenSecret } from '../secrets/index.ts';
import type { OutgoingEmail, Transport } from './types.ts';

/**
 * The irreversible part, under the campaign's send lock: recover chunks an earlier run left
 * unfinished, apply `--uncertain`, deliver, print the summary, and set the campaign's status —
 * `complete` when every row is final, else `stopped` with a `SendStopped` that says how to go on.
 */
export async function deliverCampaign(ctx: DeliveryContext): Promise<CampaignResult> {
  const { store, campaign, transport } = ctx;
  const lock = acquireSendLock(store, campaign);
  try {
    setCampaignStatus(store, campaign.id, 'sending');
    const compose = prepare(ctx);
    const before = deliveryCounts(store, campaign.id);
    const started = Date.now();
    const stop = await deliverShowingProgress(ctx, compose, lock, before);
    ctx.out(
      formatSummary(store, campaign, {
        transport: transport.name,
        sentBefore: before.sent,
        elapsedMs: Date.now() - started,
      }),
    );
    return finish(ctx, stop);
  } finally {
    lock.release();
  }
}

/** `deliver`, with a progress bar when asked for and the send lock touched at every attempt. */
async function deliverShowingProgress(
  ctx: DeliveryContext,
  compose: (row: SendableRow) => OutgoingEmail,
  lock: SendLock,
  before: ReturnType<typeof deliveryCounts>,
): Promise<DeliverStop | undefined> {
  const { store, campaign, transport, options } = ctx;
  const progress = await createProgress(options.progress ?? false, before);
  const signal = options.signal ?? new AbortController().signal;
  // Every request of the send listens on this one signal (through AbortSignal.any in the
  // transport); that is by design, not a leak, so Node's warning at 11 listeners does not apply.
  setMaxListeners(0, signal);
  try {
    return await deliver({
      store,
      campaign,
      transport,
      compose,
      // A per-message transport runs a lane per connection itself; one chunk at a time keeps
      // every message it starts on a connection of its own, not waiting in the pool.
      concurrency: transport.capabilities.perMessage
        ? 1
        : (options.concurrency ?? transport.capabilities.concurrency),
      policy: options.policy,
      signal,
      onChunk: () => progress.visible && progress.update(deliveryCounts(store, campaign.id)),
      onAttempt: () => lock.touch(),
      onRetry: (chunk, s, attempt, delayMs) =>
        progress.note(
          `(chunk ${chunk}: ${s.reason}; attempt ${attempt + 1} in ${(delayMs / 1000).toFixed(1)} s)`,
        ),
    });
  } finally {
    progress.stop();
  }
}

/** What {@link deliverCampaign} works with: the campaign context plus the frozen campaign. */
type DeliveryContext = CampaignContext & { campaign: Campaign; built: SendableIssue; transport: Transport };

/**
 * Before delivering: the composer for this run, a warning when the issue changed since the freeze,
 * recovery of chunks an earlier run left unfinished, and the `--uncertain` decision.
 */
function prepare(ctx: DeliveryContext): (row: SendableRow) => OutgoingEmail {
  const { store, campaign, transport } = ctx;
  const composeContext: ComposeContext = {
    config: ctx.config,
    issueId: campaign.issueId,
    campaignRef: campaign.ref,
    email: ctx.built.email,
    secret: tokenSecret(store, transport.capabilities, ctx.env),
    tokenKey: (id) => store.tokenKey(id),
  };
  const compose = (row: SendableRow) => composeEmail(composeContext, row);
  if (campaign.contentSha256 && campaign.contentSha256 !== contentSha256(ctx.built.email)) {
    const since = formatWhen(campaign.frozenAt ?? campaign.createdAt);
    ctx.err(
      `warning: ${campaign.issueId} changed since sending started (${since}); recipients not sent yet get the current version.`,
    );
  }
  const recovery = recoverStartedChunks(store, campaign, transport, compose);
  for (const { rows, reason } of recovery.uncertain)
    ctx.err(`warning: ${rows} recipient(s) are uncertain: ${reason}.`);
  if (ctx.options.uncertain) {
    const rows = resolveUncertain(store, campaign, ctx.options.uncertain);
    ctx.out(uncertainDecided(ctx.options.uncertain, rows));
  }
  return compose;
}

/** What each kind of stop means and what to do. */
const STOPPED = {
  quota: E.SendQuotaUsedUp,
  auth: E.SendAuthRefused,
  rejected: E.SendRequestRejected,
  conflict: E.SendIssueChanged,
  retryable: E.SendRetriesExhausted,
  interrupted: E.SendInterrupted,
} as const satisfies Record<DeliverStop['kind'], unknown>;

/** Sets the campaign's final status for this run; throws `SendStopped` unless it is complete. */
function finish(ctx: DeliveryContext, stop: DeliverStop | undefined): CampaignResult {
  const { store, campaign } = ctx;
  const counts = deliveryCounts(store, campaign.id);
  const done = counts.queued + counts.sending + counts.uncertain === 0;
  setCampaignStatus(store, campaign.id, done && !stop ? 'complete' : 'stopped');
  if (stop) {
    const { name: transport, capabilities } = ctx.transport;
    throw new UserError(STOPPED[stop.kind], {
      ...stop,
      issueId: campaign.issueId,
      transport,
      perMessage: capabilities.perMessage,
      state: stateLine(counts),
    });
  }
  if (counts.uncertain > 0) {
    const state = stateLine(counts);
    throw new UserError(E.SendUncertain, { issueId: campaign.issueId, uncertain: counts.uncertain, state });
  }
  if (!done)
    throw new Error(`deliver ended without a stop but ${counts.queued + counts.sending} rows unfinished`);
  return { outcome: 'complete', campaign, counts };
}
