import { randomUUID } from 'node:crypto';
import { parseEmail } from '../audience/index.ts';
import type { Config } from '../config/schema.ts';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import type { RenderedEmail } from '../render/email.ts';
import { personalise, SAMPLE_TOKEN, unsubscribeUrl } from '../render/personalise.ts';
import { listHeaders } from './compose.ts';
import type { SendContext, SendResult } from './options.ts';
import { chunkSizes } from './plan.ts';
import { preflight } from './preflight.ts';
import { sendChunkWithRetry, type MonotonicClock, type RetryPolicy } from './transports/index.ts';
import type { OutgoingEmail, RecipientResult, Transport } from './types.ts';

/** Inputs of {@link sendTestCopies}. */
export interface TestSendInput {
  config: Config;
  issueId: string;
  email: Pick<RenderedEmail, 'subject' | 'html' | 'text'>;
  addresses: readonly string[];
  transport: Transport;
  policy?: RetryPolicy | undefined;
  /** Where the retry backoff waits; default the process's clock. */
  clock?: MonotonicClock | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * `send --test ADDR…`: preflight (content errors, a draft, a transport problem), then the test
 * copies — or, with `--dry-run`, what would be sent. Prints one line of what happened; throws
 * `SendStopped` when a copy failed. The campaign and its ledger are never touched.
 */
export async function testSend(context: SendContext, addresses: readonly string[]): Promise<SendResult> {
  const { config, options, issue, out } = context;
  const problems = preflight({
    issueId: options.issueId,
    status: issue.built?.status ?? 'ready',
    errors: issue.errors,
    test: true,
    transportProblem: context.transportProblem,
    toSend: addresses.length,
  });
  if (problems[0]) throw problems[0];
  const built = issue.built!;
  const transport = context.transport!;
  if (options.dryRun) {
    const emails = testEmails(config, options.issueId, built.email, addresses);
    out(
      `Would send ${emails.length} test copies of ${options.issueId} ("[TEST] ${built.email.subject}") via ${transport.name} to ${emails.map((e) => e.to).join(', ')}. Nothing was sent (dry run).`,
    );
    return { outcome: 'dry-run' };
  }
  const results = await sendTestCopies({
    config,
    issueId: options.issueId,
    email: built.email,
    addresses,
    transport,
    policy: options.policy,
    clock: options.waitClock,
    signal: options.signal,
  });
  const sent = results.filter((r) => r.status === 'sent');
  const failed = results.flatMap((r) =>
    r.status === 'sent'
      ? []
      : [`  ${r.to}: ${r.status === 'uncertain' ? 'outcome unknown, ' : ''}${r.reason}`],
  );
  out(
    `Sent ${sent.length} test cop${sent.length === 1 ? 'y' : 'ies'} of ${options.issueId} via ${transport.name} to ${sent.map((r) => r.to).join(', ') || 'nobody'}. The campaign was not touched.`,
  );
  if (failed.length > 0) {
    throw new UserError(E.TestCopiesFailed, { failed });
  }
  return { outcome: 'test', sent: sent.length, failed: failed.length };
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
      {
        ...(input.policy ? { policy: input.policy } : {}),
        ...(input.clock ? { sleep: input.clock.sleep } : {}),
      },
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
