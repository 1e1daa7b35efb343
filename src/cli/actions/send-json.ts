import { openStore } from '../../audience/index.ts';
import type { Config } from '../../config/schema.ts';
import type { UserError } from '../../errors.ts';
import { sendIssue, type SendOptions, type SendPlan, type SendResult } from '../../send/index.ts';
import { deliveryCounts, findCampaign, type DeliveryCounts } from '../../send/ledger.ts';
import { errorJson, printJson, toStderr, type ErrorJson } from '../json.ts';

/**
 * What `send --json` prints (README → Machine-readable output). `--dry-run`: the plan and the
 * preflight verdict (`plan` is null when the issue could not be planned at all, or for `--test`).
 * A real send: how it ended, with the campaign's counts once one exists.
 */
export type SendJson =
  | {
      outcome: 'dry-run';
      issueId: string;
      plan: SendPlan | null;
      preflight: { ok: boolean; problems: ErrorJson[] };
    }
  | { outcome: 'test'; issueId: string; sent: number; failed: number }
  | {
      outcome: 'complete' | 'already-sent' | 'stopped' | 'refused';
      issueId: string;
      /** The campaign's ref (`c1-ab12cd34`); null when the send was refused before one existed. */
      campaign: string | null;
      counts: DeliveryCounts | null;
      error: ErrorJson | null;
    };

/**
 * `send --json`: runs the send with its human-readable lines on stderr and prints one
 * {@link SendJson} on stdout — also when it fails, before the error is thrown on (exit 1).
 */
export async function sendAsJson(config: Config, options: SendOptions): Promise<void> {
  const { issueId } = options;
  const seen: { plan: SendPlan | null; problems: readonly UserError[] } = { plan: null, problems: [] };
  const onPlan = (plan: SendPlan, problems: readonly UserError[]): void => {
    Object.assign(seen, { plan, problems });
  };
  let result: SendResult;
  try {
    result = await sendIssue(config, { ...options, out: toStderr, onPlan });
  } catch (error) {
    const described = errorJson(error);
    if (!described) throw error;
    if (options.dryRun) {
      const { plan, problems } = seen;
      const listed = plan ? problems.map((p) => errorJson(p)!) : [described];
      printJson({
        outcome: 'dry-run',
        issueId,
        plan,
        preflight: { ok: false, problems: listed },
      } satisfies SendJson);
    } else {
      const outcome = described.name === 'SendStopped' ? 'stopped' : 'refused';
      printJson({ outcome, issueId, ...campaignState(config, options), error: described } satisfies SendJson);
    }
    throw error;
  }
  printJson(resultJson(issueId, result, seen.plan));
}

function resultJson(issueId: string, result: SendResult, plan: SendPlan | null): SendJson {
  switch (result.outcome) {
    case 'dry-run':
      return { outcome: 'dry-run', issueId, plan, preflight: { ok: true, problems: [] } };
    case 'test':
      return { outcome: 'test', issueId, sent: result.sent, failed: result.failed };
    default:
      return {
        outcome: result.outcome,
        issueId,
        campaign: result.campaign.ref,
        counts: result.counts,
        error: null,
      };
  }
}

/** The campaign's ref and counts as the database has them now; nulls when there is none. */
function campaignState(
  config: Config,
  options: SendOptions,
): { campaign: string | null; counts: DeliveryCounts | null } {
  try {
    const store = openStore(config.database, { env: options.env ?? process.env });
    try {
      const campaign = findCampaign(store, options.issueId);
      return campaign
        ? { campaign: campaign.ref, counts: deliveryCounts(store, campaign.id) }
        : { campaign: null, counts: null };
    } finally {
      store.close();
    }
  } catch {
    // The error being reported may be the database's own; it is in `error`.
    return { campaign: null, counts: null };
  }
}
