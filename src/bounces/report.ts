import { createHash } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { parseEmail } from '../audience/email.ts';

/** What a report asks of the address it concerns. `ignored`: not a bounce (or a "not spam"). */
export type ReportKind = 'hard' | 'soft' | 'complaint' | 'ignored';

/**
 * One delivery status notification (RFC 3464) or complaint (ARF, RFC 5965), read into what the
 * bounce stage acts on. Every clue to whom it concerns is kept; {@link applyReport} picks.
 */
export interface BounceReport {
  /** Hex SHA-256 of the report's Message-ID, or of its bytes when it has none: the idempotency key. */
  key: string;
  kind: ReportKind;
  /** The DSN status (`5.1.1`) or the ARF feedback type (`abuse`); undefined when neither says. */
  status: string | undefined;
  /** When the report was written (its Date), ISO 8601; undefined when it has none. */
  date: string | undefined;
  /** Every text the VERP address may be in: the headers, the report fields, the original. */
  searchText: string;
  /** Lowercase address keys the report names as the recipient (Final-/Original-Recipient, Original-Rcpt-To, the original's To). */
  recipients: string[];
  /** The original message's Message-ID, when the report quotes its headers. */
  originalMessageId: string | undefined;
}

/** A group of `Name: value` fields, names lowercased (RFC 3464 §2.1: header-like, folded lines). */
type Fields = Map<string, string>;

/** Reads one message as a report; a message that is neither DSN nor ARF comes out `ignored`. */
export async function readReport(raw: Buffer): Promise<BounceReport> {
  const mail = await simpleParser(raw, { keepDeliveryStatus: true });
  const parts = mail.attachments.map((a) => ({
    type: a.contentType.toLowerCase(),
    text: a.content.toString('utf8'),
  }));
  const original = parts.find((p) => p.type === 'message/rfc822' || p.type === 'text/rfc822-headers');
  const originalHeaders = original ? fieldGroups(original.text.split(/\r?\n\r?\n/)[0] ?? '')[0] : undefined;
  const base = {
    key: reportKey(mail, raw),
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : undefined,
    searchText: [raw.toString('latin1'), ...parts.map((p) => p.text)].join('\n'),
    originalMessageId: originalHeaders?.get('message-id')?.trim(),
  };
  const feedback = parts.find((p) => p.type === 'message/feedback-report');
  if (feedback) {
    const fields = fieldGroups(feedback.text)[0] ?? new Map<string, string>();
    const type = fields.get('feedback-type')?.trim().toLowerCase();
    const named = [fields.get('original-rcpt-to'), originalHeaders?.get('to')];
    return {
      ...base,
      kind: type === 'not-spam' ? 'ignored' : 'complaint',
      status: type,
      recipients: addressKeys(named),
    };
  }
  const status = parts.find((p) => /^message\/(global-)?delivery-status$/.test(p.type));
  if (!status) return { ...base, kind: 'ignored', status: undefined, recipients: [] };
  // The first group is about the message, each further one about one recipient.
  const recipients = fieldGroups(status.text).slice(1);
  const judged = recipients.map(judge).sort((a, b) => SEVERITY[b.kind] - SEVERITY[a.kind])[0];
  return {
    ...base,
    kind: judged?.kind ?? 'ignored',
    status: judged?.status,
    recipients: addressKeys(
      recipients.flatMap((r) => [r.get('original-recipient'), r.get('final-recipient')]),
    ),
  };
}

const SEVERITY: Record<ReportKind, number> = { hard: 3, complaint: 3, soft: 2, ignored: 1 };

/**
 * One recipient's verdict. `failed` with a 5.x.x status is hard; `failed` with 4.x.x (given up
 * after retrying) and `delayed` (still retrying) are soft; `delivered`, `relayed` and `expanded`
 * are no bounce. Without a Status field the Diagnostic-Code's reply code (`smtp; 550 …`) decides.
 */
function judge(fields: Fields): { kind: ReportKind; status: string | undefined } {
  const action = fields.get('action')?.trim().toLowerCase();
  const diagnostic = /^\s*smtp\s*;\s*([245])\d\d/i.exec(fields.get('diagnostic-code') ?? '')?.[1];
  const status = /([245])\.\d{1,3}\.\d{1,3}/.exec(fields.get('status') ?? '')?.[0];
  const klass = status?.[0] ?? diagnostic;
  if (action === 'delayed') return { kind: 'soft', status };
  if (action !== 'failed') return { kind: 'ignored', status };
  return { kind: klass === '4' ? 'soft' : 'hard', status };
}

/**
 * Header-like field groups separated by blank lines; folded lines (starting with white space)
 * continue the field before them. Names are lowercased; a repeated name keeps the first value.
 */
export function fieldGroups(text: string): Fields[] {
  const groups: Fields[] = [];
  for (const block of text.split(/\r?\n[ \t]*\r?\n/)) {
    const fields: Fields = new Map();
    let last: string | undefined;
    for (const line of block.split(/\r?\n/)) {
      if (/^[ \t]/.test(line) && last !== undefined) {
        fields.set(last, `${fields.get(last)} ${line.trim()}`);
        continue;
      }
      const match = /^([!-9;-~]+):\s*(.*)$/.exec(line);
      if (!match) continue;
      last = match[1]!.toLowerCase();
      if (!fields.has(last)) fields.set(last, match[2]!);
      else last = undefined;
    }
    if (fields.size > 0) groups.push(fields);
  }
  return groups;
}

/** Address keys from fields like `rfc822; a@example.com`, `<a@example.com>` or `Name <a@…>`. */
function addressKeys(values: (string | undefined)[]): string[] {
  const keys = new Set<string>();
  for (const value of values) {
    if (value === undefined) continue;
    const bare = value.replace(/^\s*rfc822\s*;/i, '').replace(/^.*<([^>]*)>.*$/, '$1');
    const address = parseEmail(bare);
    if (address.ok) keys.add(address.key);
  }
  return [...keys];
}

function reportKey(mail: ParsedMail, raw: Buffer): string {
  const id = mail.messageId?.trim();
  return createHash('sha256')
    .update(id ? `message-id:${id}` : raw)
    .digest('hex');
}
