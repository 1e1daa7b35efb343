import { randomUUID } from 'node:crypto';
import { parseEmail } from '../audience/index.ts';
import type { Config } from '../config/schema.ts';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import type { RenderedEmail } from '../render/email.ts';
import { personalise, SAMPLE_TOKEN, unsubscribeUrl } from '../render/personalise.ts';
import { listHeaders } from './compose.ts';
import { chunkSizes } from './plan.ts';
import { sendChunkWithRetry, type RetryPolicy } from './transports/index.ts';
import type { OutgoingEmail, RecipientResult, Transport } from './types.ts';

/** Inputs of {@link sendTestCopies}. */
export interface TestSendInput {
  config: Config;
  issueId: string;
  email: Pick<RenderedEmail, 'subject' | 'html' | 'text'>;
  addresses: readonly string[];
  transport: Transport;
  policy?: RetryPolicy | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * `--test`: "[TEST]"-prefixed copies to the given addresses only. Nothing is frozen and the
 * campaign ledger is never opened, so a test send changes nothing about the real one. The
 * unsubscribe link carries the sample token (it names no subscriber), and every run uses fresh
 * idempotency keys, so sending the same test twice really sends twice.
 */
export async function sendTestCopies(input: TestSendInput): Promise<RecipientResult[]> {
  const emails = testEmails(input.config, input.issueId, input.email, input.addresses);
  const run = randomUUID();
  const results: RecipientResult[] = [];
  let offset = 0;
  for (const [n, size] of chunkSizes(emails.length, input.transport.maxChunkSize).entries()) {
    const chunk = emails.slice(offset, offset + size);
    const outcome = await sendChunkWithRetry(
      input.transport,
      chunk,
      {
        idempotencyKey: `nyhetsbrev/test/${input.issueId}/${run}/${n + 1}`,
        ...(input.signal ? { signal: input.signal } : {}),
      },
      input.policy ? { policy: input.policy } : {},
    );
    results.push(...outcome.results.map((r) => ({ ...r, index: r.index + offset })));
    if (outcome.stop) {
      const sent = results.filter((r) => r.status === 'sent').length;
      throw new UserError(E.TestSendStopped, { reason: outcome.stop.reason, sent, total: emails.length });
    }
    offset += size;
  }
  return results;
}

/** The test emails: validated addresses, "[TEST]" subject, sample unsubscribe token. */
export function testEmails(
  config: Config,
  issueId: string,
  email: Pick<RenderedEmail, 'subject' | 'html' | 'text'>,
  addresses: readonly string[],
): OutgoingEmail[] {
  const bad = addresses.map((a) => ({ a, r: parseEmail(a) })).filter(({ r }) => !r.ok);
  if (bad.length > 0) {
    const reasons = bad.map(({ a, r }) => `${a}: ${r.ok ? '' : r.reason}`).join('; ');
    throw new UserError(E.TestAddressInvalid, { reasons });
  }
  const url = unsubscribeUrl(config, SAMPLE_TOKEN);
  const { html, text } = personalise(email, { unsubscribeUrl: url });
  const unique = [...new Set(addresses.map((a) => a.trim()))];
  return unique.map((to) => ({
    to,
    from: config.sender.from,
    ...(config.sender.replyTo === undefined ? {} : { replyTo: config.sender.replyTo }),
    subject: `[TEST] ${email.subject}`,
    html,
    text,
    headers: listHeaders(config, url),
    tags: [
      { name: 'issue', value: issueId.replace(/[^A-Za-z0-9_-]/g, '_') },
      { name: 'campaign', value: 'test' },
    ],
  }));
}
