import { existsSync } from 'node:fs';
import { applyUnsubscribeJournal, unsubscribeJournalPath } from '../audience/unsubscribe.ts';
import { audienceCounts, loadLists, requireLists, type AudienceCounts } from '../audience/index.ts';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { deploymentSecret, SECRET_ENV } from '../secrets/index.ts';
import { personalise, SAMPLE_TOKEN, unsubscribeUrl } from '../render/personalise.ts';
import { contentSha256 } from './compose.ts';
import { deliverCampaign } from './deliver-campaign.ts';
import {
  deliveryCounts,
  findCampaign,
  setCampaignStatus,
  freezeCampaign,
  frozenRecipients,
  lastSentAt,
  type Campaign,
  type DeliveryCounts,
} from './ledger.ts';
import type { SendableIssue } from './issue.ts';
import type { CampaignContext, CampaignResult } from './options.ts';
import { formatPlan, formatWhen, planSend, type SendPlan } from './plan.ts';
import { confirmSend, preflight } from './preflight.ts';
import type { Transport } from './types.ts';

/**
 * plan → preflight → confirm → freeze (or resume) → deliver, for a real send. A campaign that is
 * already complete is reported and left alone (exit 0: running the send again is how scripts make
 * sure it happened, and nothing is left to do).
 */
export async function runCampaign(ctx: CampaignContext): Promise<CampaignResult> {
  const ready = await prepareCampaign(ctx);
  return 'outcome' in ready ? ready : deliverCampaign({ ...ctx, ...ready });
}

/**
 * Everything before delivery. A new send's audience is only counted here (per list, by SQLite)
 * and copied into the ledger by SQLite when frozen: at 100,000 recipients, one object each would
 * grow the heap by ~100 MB, and a heap once grown stays in RSS for the whole send.
 */
async function prepareCampaign(
  ctx: CampaignContext,
): Promise<CampaignResult | { campaign: Campaign; built: SendableIssue; transport: Transport }> {
  const { options, store } = ctx;
  const known = loadLists(ctx.config.lists);
  const lists = requireLists(known, options.lists ?? known.lists.map((l) => l.id));
  if (!options.dryRun) applyJournaledUnsubscribes(ctx);
  const existing = findCampaign(store, options.issueId);
  if (existing?.status === 'complete' || (existing && remaining(deliveryCounts(store, existing.id)) === 0)) {
    return alreadySent(ctx, existing);
  }
  const live = existing ? undefined : audienceCounts(store, lists);
  const plan = planFor(ctx, lists, live, existing);
  const toSend = existing ? remaining(deliveryCounts(store, existing.id)) : (live?.recipients ?? 0);
  const mismatch = existing && options.lists && !sameSet(options.lists, existing.lists);
  const problems = preflight({
    issueId: options.issueId,
    status: plan.status,
    errors: ctx.issue.errors,
    test: false,
    transportProblem: ctx.transportProblem,
    secretProblem: ctx.secretProblem,
    toSend,
    listMismatch: mismatch ? { frozen: existing.lists, asked: options.lists! } : undefined,
  });
  if (options.dryRun) return dryRun(ctx, plan, problems);
  if (problems[0]) throw problems[0];
  await confirm(ctx, plan, toSend, existing ? undefined : lists);
  const built = ctx.issue.built!;
  const transport = ctx.transport!;
  const campaign =
    existing ??
    freezeCampaign(store, {
      issueId: options.issueId,
      subject: built.email.subject,
      lists,
      contentSha256: contentSha256(built.email),
      chunkSize: transport.maxChunkSize,
      confirmed: toSend,
    });
  return { campaign, built, transport };
}

/**
 * Unsubscribes `serve` journaled while the database was busy and has not applied yet (it may be
 * stopped): applied before the audience is read, so they are not written to. They are signed
 * with `NYHETSBREV_SECRET`; without it they wait for `serve`, and the send says so.
 */
function applyJournaledUnsubscribes(ctx: CampaignContext): void {
  const secret = deploymentSecret(ctx.env);
  if (!secret) {
    if (existsSync(unsubscribeJournalPath(ctx.store.path))) {
      ctx.err(
        `warning: ${unsubscribeJournalPath(ctx.store.path)} holds unsubscribes serve has not applied yet; without ${SECRET_ENV} this send cannot apply them (start serve, or set ${SECRET_ENV}).`,
      );
    }
    return;
  }
  const applied = applyUnsubscribeJournal(ctx.store, secret);
  if (applied > 0)
    ctx.err(`Applied ${applied} unsubscribe(s) serve had journaled while the database was busy.`);
}

/** The plan: of the live audience's counts for a new send, of the frozen rows when resuming. */
function planFor(
  ctx: CampaignContext,
  lists: readonly string[],
  live: AudienceCounts | undefined,
  existing: Campaign | undefined,
): SendPlan {
  const built = ctx.issue.built;
  const sample = personalise(built?.email ?? { html: '', text: '' }, {
    unsubscribeUrl: unsubscribeUrl(ctx.config, SAMPLE_TOKEN),
  });
  return planSend({
    issue: {
      id: ctx.options.issueId,
      subject: built?.email.subject ?? ctx.options.issueId,
      status: built?.status ?? 'ready',
    },
    email: sample,
    from: ctx.config.sender.from,
    transport: { name: ctx.name, maxChunkSize: ctx.transport?.maxChunkSize ?? 100 },
    lists: existing?.lists ?? lists,
    recipients: existing ? frozenRecipients(ctx.store, existing) : live!,
    suppressed: live?.suppressed ?? 0,
    campaign: existing,
  });
}

function dryRun(ctx: CampaignContext, plan: SendPlan, problems: readonly UserError[]): CampaignResult {
  ctx.options.onPlan?.(plan, problems);
  ctx.out(formatPlan(plan));
  if (problems[0]) {
    const list = problems.map((p) => `  ${p.name}: ${p.message}`).join('\n');
    ctx.out(`Preflight would refuse this send:\n${list}`);
    throw problems[0];
  }
  ctx.out('Preflight: ok. Nothing was sent (dry run).');
  return { outcome: 'dry-run', plan };
}

/** Asks before anything is written; `lists` is undefined when resuming (the campaign's are fixed). */
async function confirm(ctx: CampaignContext, plan: SendPlan, toSend: number, lists?: readonly string[]) {
  const { options } = ctx;
  const which = options.lists ? `lists ${lists?.join(', ')}` : 'all lists';
  const question = lists
    ? `Send ${plan.issueId} "${plan.subject}" to ${toSend} recipients (${which}) via ${ctx.name}?`
    : `Resume sending ${plan.issueId} "${plan.subject}" via ${ctx.name}: ${toSend} of ${plan.recipients} recipients left?`;
  await confirmSend(question, toSend, {
    yes: options.yes ?? false,
    interactive: options.interactive ?? false,
    ask: options.ask,
  });
  if (options.signal?.aborted) {
    throw new UserError(E.SendInterruptedEarly);
  }
}

/** Rows not final yet: still to send, in flight, or awaiting an `--uncertain` decision. */
function remaining(counts: DeliveryCounts): number {
  return counts.queued + counts.sending + counts.uncertain;
}

function alreadySent(ctx: CampaignContext, campaign: Campaign): CampaignResult {
  const counts = deliveryCounts(ctx.store, campaign.id);
  // A run that died between its last chunk and its status update left every row final.
  if (campaign.status !== 'complete' && !ctx.options.dryRun)
    setCampaignStatus(ctx.store, campaign.id, 'complete');
  const when = lastSentAt(ctx.store, campaign.id) ?? campaign.frozenAt ?? campaign.createdAt;
  const extra = [
    counts.failed > 0 ? `${counts.failed} failed` : '',
    counts.skipped > 0 ? `${counts.skipped} skipped` : '',
  ]
    .filter(Boolean)
    .join(', ');
  ctx.out(
    `${campaign.issueId} was already sent to ${counts.sent} recipient${counts.sent === 1 ? '' : 's'} on ${formatWhen(when)}${extra ? ` (${extra})` : ''}; nothing to do.`,
  );
  return { outcome: 'already-sent', campaign, counts };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
}
