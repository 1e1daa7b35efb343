import type { IssueStatus } from '../model.ts';
import type { DeliveryStatus } from './ledger.ts';
import { DELIVERY_STATUSES } from './ledger.ts';
import type { TransportName } from './types.ts';

/** What {@link planSend} plans from: plain data, already read from the issue, store and config. */
export interface PlanInput {
  issue: { id: string; subject: string; status: IssueStatus };
  /** The email personalised with a sample token: its sizes are what each recipient gets, ± a few bytes. */
  email: { html: string; text: string };
  from: string;
  transport: { name: TransportName; maxChunkSize: number };
  /** The chosen list ids (all lists when `--list` was not given). */
  lists: readonly string[];
  /**
   * The recipients in send order with the chosen lists they are on: the live audience (after
   * suppressions) for a new send, or only its counts ({@link CountedRecipients}); the frozen rows,
   * with their status, when resuming.
   */
  recipients: readonly { lists: readonly string[]; status?: DeliveryStatus }[] | CountedRecipients;
  /** Active members of the lists left out because their address is suppressed. */
  suppressed: number;
  /** The campaign being resumed, if one was started before. */
  campaign?: { ref: string; frozenAt: string | null } | undefined;
}

/** A new send's audience as counts (`audienceCounts`): the plan needs no object per recipient. */
export interface CountedRecipients {
  recipients: number;
  /** Recipients per list id; a list nobody is in may be missing. */
  perList: Readonly<Record<string, number>>;
}

/** What a send would do. Printed by `--dry-run`; shown (shorter) before confirmation. */
export interface SendPlan {
  issueId: string;
  subject: string;
  status: IssueStatus;
  from: string;
  transport: TransportName;
  sizes: { htmlBytes: number; textBytes: number };
  recipients: number;
  suppressed: number;
  /** Recipients per chosen list; one person on two lists counts in both (but gets one email). */
  perList: { list: string; recipients: number }[];
  /** Emails per chunk, in order: one provider call each. */
  chunks: number[];
  resume?: {
    campaign: string;
    frozenAt: string | null;
    counts: Record<DeliveryStatus, number>;
    toSend: number;
  };
}

/** Plans a send. Pure: the same input gives the same plan; nothing is read or written. */
export function planSend(input: PlanInput): SendPlan {
  const counted = 'perList' in input.recipients ? input.recipients : undefined;
  const rows = 'perList' in input.recipients ? [] : input.recipients;
  const total = counted ? counted.recipients : rows.length;
  const perList = input.lists.map((list) => ({
    list,
    recipients: counted ? (counted.perList[list] ?? 0) : rows.filter((r) => r.lists.includes(list)).length,
  }));
  const plan: SendPlan = {
    issueId: input.issue.id,
    subject: input.issue.subject,
    status: input.issue.status,
    from: input.from,
    transport: input.transport.name,
    sizes: { htmlBytes: Buffer.byteLength(input.email.html), textBytes: Buffer.byteLength(input.email.text) },
    recipients: total,
    suppressed: input.suppressed,
    perList,
    chunks: chunkSizes(total, input.transport.maxChunkSize),
  };
  if (input.campaign) {
    const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
    for (const r of rows) counts[r.status ?? 'queued']++;
    plan.resume = {
      campaign: input.campaign.ref,
      frozenAt: input.campaign.frozenAt,
      counts,
      toSend: counts.queued + counts.sending,
    };
  }
  return plan;
}

/** Sizes of the chunks `count` recipients split into: 250 by 100 → 100, 100, 50. */
export function chunkSizes(count: number, maxChunkSize: number): number[] {
  if (!Number.isInteger(maxChunkSize) || maxChunkSize < 1)
    throw new RangeError(`bad chunk size ${maxChunkSize}`);
  const sizes: number[] = [];
  for (let left = count; left > 0; left -= maxChunkSize) sizes.push(Math.min(left, maxChunkSize));
  return sizes;
}

/** The plan as `--dry-run` prints it. */
export function formatPlan(plan: SendPlan): string {
  const lines = [
    `Plan for ${plan.issueId}: "${plan.subject}"${plan.status === 'draft' ? ' (draft)' : ''}`,
    row('from', plan.from),
    row('transport', `${plan.transport}, ${describeChunks(plan.chunks)}`),
    row('size', `HTML ${kb(plan.sizes.htmlBytes)}, text ${kb(plan.sizes.textBytes)}`),
    row(
      'recipients',
      `${plan.recipients}${plan.suppressed > 0 ? ` (${plan.suppressed} suppressed address${plan.suppressed === 1 ? '' : 'es'} left out)` : ''}`,
    ),
  ];
  const width = Math.max(0, ...plan.perList.map((l) => l.list.length));
  for (const { list, recipients } of plan.perList)
    lines.push(`    ${list.padEnd(width)}  ${String(recipients).padStart(6)}`);
  if (plan.resume) {
    const { counts } = plan.resume;
    const done = DELIVERY_STATUSES.filter((s) => counts[s] > 0 && s !== 'queued' && s !== 'sending')
      .map((s) => `${counts[s]} ${s}`)
      .join(', ');
    lines.push(
      row(
        'resuming',
        `campaign ${plan.resume.campaign} (frozen ${plan.resume.frozenAt ? formatWhen(plan.resume.frozenAt) : 'at an unknown time'}): ${done || 'nothing sent yet'}; ${plan.resume.toSend} to send`,
      ),
    );
  }
  return lines.join('\n');
}

/** `2026-11-02 09:00 UTC` from an ISO timestamp. */
export function formatWhen(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(12)}${value}`;
}

function describeChunks(chunks: readonly number[]): string {
  if (chunks.length === 0) return 'no chunks';
  const groups: [number, number][] = [];
  for (const size of chunks) {
    const last = groups.at(-1);
    if (last && last[1] === size) last[0]++;
    else groups.push([1, size]);
  }
  const parts = groups.map(([n, size]) => (n === 1 ? `${size}` : `${n} × ${size}`));
  return `${chunks.length} chunk${chunks.length === 1 ? '' : 's'} (${parts.join(' + ')} emails)`;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB (${bytes} bytes)`;
}
