import type { Store } from '../audience/index.ts';
import type { DeliverStop } from './deliver.ts';
import { deliveryCounts, reasons, rowsWith, type Campaign, type DeliveryCounts } from './ledger.ts';
import type { Transport } from './types.ts';

/** Progress of a send: a bar on a terminal, nothing in pipes and CI. */
export interface Progress {
  /** False when nothing is shown: callers can skip gathering the counts. */
  readonly visible: boolean;
  update(counts: DeliveryCounts): void;
  note(text: string): void;
  stop(): void;
}

/**
 * A cli-progress bar on stderr (count, rate, ETA) when `interactive`; otherwise silent, so pipes
 * and CI logs get only the final summary.
 */
export async function createProgress(interactive: boolean, counts: DeliveryCounts): Promise<Progress> {
  if (!interactive) return { visible: false, update() {}, note() {}, stop() {} };
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'Sending {bar} {value}/{total} | {rate} emails/s | ETA {eta_formatted} {note}',
      clearOnComplete: true,
      hideCursor: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  const first = finished(counts);
  bar.start(counts.total, first, { rate: '0.0', note: '' });
  return {
    visible: true,
    update(now) {
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      bar.update(finished(now), { rate: ((finished(now) - first) / seconds).toFixed(1), note: '' });
    },
    note: (text) => bar.update({ note: text }),
    stop: () => bar.stop(),
  };
}

function finished(counts: DeliveryCounts): number {
  return counts.sent + counts.failed + counts.skipped;
}

/** Failed and uncertain recipients listed by address in the summary, at most. */
const SHOWN = 20;

/** The final summary: campaign totals, this run's pace, and the reasons of failures, skips and uncertain rows. */
export function formatSummary(
  store: Store,
  campaign: Campaign,
  run: { transport: string; sentBefore: number; elapsedMs: number },
): string {
  const counts = deliveryCounts(store, campaign.id);
  const sentNow = counts.sent - run.sentBefore;
  const seconds = run.elapsedMs / 1000;
  const lines = [
    `${campaign.issueId} "${campaign.subject}" via ${run.transport}: ${counts.sent} sent, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.uncertain} uncertain of ${counts.total} recipients` +
      ` (this run: ${sentNow} sent in ${seconds.toFixed(1)} s${sentNow > 0 && seconds > 0 ? `, ${(sentNow / seconds).toFixed(1)} emails/s` : ''}).`,
  ];
  const failed = rowsWith(store, campaign.id, 'failed');
  if (failed.length > 0) {
    lines.push('Failed (permanently; not retried):');
    for (const row of failed.slice(0, SHOWN))
      lines.push(`  ${row.email ?? '(erased)'}: ${row.error ?? 'no reason given'}`);
    if (failed.length > SHOWN) lines.push(`  … and ${failed.length - SHOWN} more`);
  }
  for (const [status, title] of [
    ['skipped', 'Skipped'],
    ['uncertain', 'Uncertain (outcome unknown; never sent again without --uncertain=skip|resend)'],
  ] as const) {
    const grouped = reasons(store, campaign.id, status);
    if (grouped.length === 0) continue;
    lines.push(`${title}:`);
    for (const { error, n } of grouped) lines.push(`  ${n} × ${error}`);
  }
  const uncertain = rowsWith(store, campaign.id, 'uncertain').map((row) => row.email ?? '(erased)');
  if (uncertain.length > 0) {
    const more = uncertain.length > SHOWN ? ` … and ${uncertain.length - SHOWN} more` : '';
    lines.push(`  Uncertain recipients: ${uncertain.slice(0, SHOWN).join(', ')}${more}`);
  }
  return lines.join('\n');
}

/** What each `--uncertain` choice does, in the words of every message that offers it. */
export const UNCERTAIN_CHOICE = {
  skip: 'never send to them again; they are counted as skipped, outcome unknown',
  resend: 'send to them again; those who got it get it twice',
} as const;

/** What `--uncertain` did, for the output of the run that applied it. */
export function uncertainDecided(choice: 'skip' | 'resend', rows: number): string {
  if (rows === 0) return `--uncertain=${choice}: no recipient was uncertain; nothing changed.`;
  return choice === 'skip'
    ? `--uncertain=skip: ${rows} uncertain recipient(s) skipped: they are never sent this issue again and are counted as skipped, outcome unknown.`
    : `--uncertain=resend: ${rows} uncertain recipient(s) queued to be sent again; those who got it the first time get it twice.`;
}

/** "37 of 120 recipients were sent." plus what remains, for every message after a stop. */
export function stateLine(counts: DeliveryCounts): string {
  const rest = [
    counts.failed > 0 ? `${counts.failed} failed permanently` : '',
    counts.skipped > 0 ? `${counts.skipped} skipped` : '',
    counts.uncertain > 0 ? `${counts.uncertain} uncertain` : '',
    counts.queued + counts.sending > 0 ? `${counts.queued + counts.sending} not sent yet` : '',
  ].filter(Boolean);
  return `${counts.sent} of ${counts.total} recipients were sent${rest.length > 0 ? ` (${rest.join(', ')})` : ''}.`;
}

/** Why a run stopped and what to do, as message and hint of a `SendStopped`. */
export function stopAdvice(
  stop: DeliverStop,
  issueId: string,
  { name: transport, capabilities }: Pick<Transport, 'name' | 'capabilities'>,
): { message: string; hint: string } {
  const again = `Run \`nyhetsbrev send ${issueId}\` again to resume; those already sent are skipped.`;
  switch (stop.kind) {
    case 'quota':
      return {
        message: `The ${stop.period ?? ''} sending quota of ${transport} is used up (${stop.reason}). The send stopped and was checkpointed.`,
        hint: `${again} Wait until the quota resets (${stop.period === 'monthly' ? 'next month' : 'tomorrow'}) or raise it with the provider first.`,
      };
    case 'auth':
      return {
        message: `${transport} refused the credentials (${stop.reason}). The send stopped.`,
        hint: `Check the API key or SMTP login in the environment (see README → Configuration). ${again}`,
      };
    case 'rejected':
      return {
        message: `${transport} refused the request itself (${stop.reason}). The send stopped; nothing of chunk ${stop.chunk} was sent.`,
        hint: `Fix the cause (a verified sender domain, a writable outbox folder, STARTTLS on the relay…). ${again}`,
      };
    case 'conflict':
      return {
        message: `The issue changed since sending started: chunk ${stop.chunk} was first sent with an earlier version, and ${transport} refuses its idempotency key with a different body (${stop.reason}). Its recipients are now uncertain.`,
        hint: `Restore the issue as it was when the send started and run again, or decide: \`nyhetsbrev send ${issueId} --uncertain=skip\` (${UNCERTAIN_CHOICE.skip}; they probably got the earlier version) or \`--uncertain=resend\` (${UNCERTAIN_CHOICE.resend}).`,
      };
    case 'retryable':
      return {
        message: `${transport} did not accept chunk ${stop.chunk} after repeated attempts (${stop.reason}). The send stopped.`,
        hint: capabilities.perMessage
          ? `${again} Only recipients the relay certainly did not take are sent again; any whose message may have gone through are listed as uncertain.`
          : `${again} The unfinished chunk is sent again under the same idempotency key, so nobody gets it twice (within 24 h for Resend).`,
      };
    case 'interrupted':
      return {
        message: 'The send was interrupted.',
        hint: `${again} Chunks in flight are retried under the same idempotency key (Resend, outbox); over SMTP the messages in flight were let finish, and one cut off mid-transaction is reported as uncertain.`,
      };
  }
}
