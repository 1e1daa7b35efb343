import type { Config } from '../config/schema.ts';
import { applyReport, type AppliedReport, type BounceSettings, type ReportOutcome } from './apply.ts';
import { readMailbox } from './mailbox.ts';
import { readReport } from './report.ts';

/**
 * The bounce stage: delivery status notifications (RFC 3464) and complaints (ARF, RFC 5965) from
 * the mailbox the VERP address delivers to, applied to the audience. Entry: {@link processBounces}.
 */
export { applyReport, type AppliedReport, type BounceSettings, type ReportOutcome } from './apply.ts';
export { readMailbox, type MailboxMessage } from './mailbox.ts';
export { readReport, type BounceReport } from './report.ts';
export { findVerpDeliveries, verpAddress, type VerpDelivery } from './verp.ts';

/** What one run did: reports per outcome, and per issue the bounces and complaints of its deliveries. */
export interface BounceSummary {
  outcomes: Record<ReportOutcome, number>;
  byIssue: Map<string, Partial<Record<ReportOutcome, number>>>;
}

/** Options of {@link processBounces}. */
export interface ProcessOptions {
  /** Applies one report (default: {@link applyReport} at once; `serve` goes through its write gate). */
  apply?: (report: Awaited<ReturnType<typeof readReport>>) => AppliedReport | Promise<AppliedReport>;
  /** Called after a report's transaction committed, before the message is marked read (tests). */
  afterCommit?: (name: string) => void;
}

/** The bounce settings of a config, with the secret VERP tokens are signed with. */
export function bounceSettings(config: Pick<Config, 'bounces'>, secret: string): BounceSettings {
  const { domain, softLimit, softWindowDays } = config.bounces;
  return { secret, domain, softLimit, softWindowDays };
}

/**
 * Reads every unread report of the Maildir folder or mbox file at `path` and applies each in its
 * own transaction, then marks it read. A crash between the two leaves the message unread, and
 * reading it again finds its key already recorded: nothing is lost or counted twice.
 */
export async function processBounces(
  store: Parameters<typeof applyReport>[0],
  settings: BounceSettings,
  path: string,
  options: ProcessOptions = {},
): Promise<BounceSummary> {
  const apply = options.apply ?? ((report) => applyReport(store, settings, report));
  const summary: BounceSummary = {
    outcomes: { duplicate: 0, ignored: 0, unmatched: 0, hard: 0, soft: 0, 'soft-limit': 0, complaint: 0 },
    byIssue: new Map(),
  };
  for (const message of readMailbox(path)) {
    const applied = await apply(await readReport(message.raw));
    options.afterCommit?.(message.name);
    message.done();
    summary.outcomes[applied.outcome]++;
    if (applied.issueId !== undefined) {
      const issue = summary.byIssue.get(applied.issueId) ?? {};
      issue[applied.outcome] = (issue[applied.outcome] ?? 0) + 1;
      summary.byIssue.set(applied.issueId, issue);
    }
  }
  return summary;
}

const WORDS: [ReportOutcome, string][] = [
  ['hard', 'hard bounce(s), suppressed'],
  ['soft-limit', `soft bounce(s) that reached the limit, suppressed`],
  ['soft', 'soft bounce(s), counted'],
  ['complaint', 'complaint(s), suppressed'],
  ['unmatched', 'naming no delivery or address we know'],
  ['ignored', 'not a bounce or complaint'],
  ['duplicate', 'already read before'],
];

/** The summary as lines for the terminal (no addresses). */
export function formatBounceSummary(summary: BounceSummary): string[] {
  const total = Object.values(summary.outcomes).reduce((a, b) => a + b, 0);
  const parts = WORDS.filter(([k]) => summary.outcomes[k] > 0).map(([k, w]) => `${summary.outcomes[k]} ${w}`);
  const lines = [`Read ${total} report(s)${parts.length > 0 ? `: ${parts.join('; ')}` : ''}.`];
  for (const [issue, counts] of [...summary.byIssue].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const each = WORDS.filter(([k]) => counts[k]).map(([k]) => `${counts[k]} ${k}`);
    lines.push(`  ${issue}: ${each.join(', ')}`);
  }
  return lines;
}
