import type { ConnectionOptions } from 'node:tls';
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer/lib/mailer';
import type {
  ChunkContext,
  ChunkOutcome,
  ChunkStop,
  OutgoingEmail,
  RecipientResult,
  Transport,
} from '../types.ts';

/**
 * nodemailer's default DKIM header list (RFC 6376 §5.4.1) plus `List-Unsubscribe-Post`, which it
 * lacks: RFC 8058 §4 requires both List-Unsubscribe headers to be covered by a valid DKIM signature
 * before a receiver offers one-click unsubscribe.
 */
export const DKIM_HEADER_FIELDS = [
  'From',
  'Sender',
  'Reply-To',
  'Subject',
  'Date',
  'Message-ID',
  'To',
  'Cc',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'Content-ID',
  'Content-Description',
  'In-Reply-To',
  'References',
  'List-Id',
  'List-Help',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
  'List-Subscribe',
  'List-Post',
  'List-Owner',
  'List-Archive',
].join(':');

/** Options of {@link createSmtpTransport}, resolved: secrets read, key file loaded. */
export interface SmtpTransportOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465). With false, STARTTLS is used when offered. */
  secure: boolean;
  /** Refuse to send unless the server upgrades with STARTTLS. */
  requireTLS: boolean;
  auth?: { user: string; pass: string } | undefined;
  /** Pooled connections open at once. */
  maxConnections: number;
  rateLimitPerSecond?: number | undefined;
  dkim?: { domainName: string; keySelector: string; privateKey: string } | undefined;
  /** Extra TLS options, e.g. `{ca}` for a relay with a private CA. */
  tls?: ConnectionOptions | undefined;
}

/**
 * An SMTP relay through a nodemailer pool. Each email is one SMTP transaction; the pool runs up to
 * `maxConnections` at once. Results are per recipient: a 5xx reply is permanent for that
 * recipient; a 4xx reply or a network failure stops the chunk retryably with those recipients
 * pending. The caller's Message-ID is kept so a retried message carries the same id.
 */
export function createSmtpTransport(options: SmtpTransportOptions): Transport {
  const mailer = nodemailer.createTransport({
    pool: true,
    host: options.host,
    port: options.port,
    secure: options.secure,
    requireTLS: options.requireTLS,
    maxConnections: options.maxConnections,
    // nodemailer would silently resend a message whose connection dropped mid-transaction; its
    // outcome is unknown, so report it and let the ledger decide instead.
    maxRequeues: 0,
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.rateLimitPerSecond ? { rateLimit: options.rateLimitPerSecond, rateDelta: 1000 } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.dkim ? { dkim: { ...options.dkim, headerFieldNames: DKIM_HEADER_FIELDS } } : {}),
  });

  async function sendChunk(emails: readonly OutgoingEmail[], ctx: ChunkContext): Promise<ChunkOutcome> {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    const settled = await Promise.allSettled(emails.map((email) => mailer.sendMail(toMailOptions(email))));
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    const results: RecipientResult[] = [];
    const stops: ChunkStop[] = [];
    settled.forEach((outcome, index) => {
      const to = emails[index]!.to;
      if (outcome.status === 'fulfilled') {
        results.push({
          index,
          to,
          status: 'sent',
          providerId: (outcome.value as { messageId: string }).messageId,
        });
        return;
      }
      const verdict = classifySmtpError(outcome.reason);
      if (verdict.kind === 'failed') results.push({ index, to, status: 'failed', reason: verdict.reason });
      else stops.push(verdict);
    });
    return stops.length === 0 ? { results } : { results, stop: worstStop(stops) };
  }

  return {
    name: 'smtp',
    maxChunkSize: 100,
    sendChunk,
    close: () => Promise.resolve(mailer.close()),
  };
}

/** The nodemailer message: text part first, then HTML, both UTF-8 (nodemailer's defaults). */
export function toMailOptions(email: OutgoingEmail): SendMailOptions {
  return {
    from: email.from,
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    headers: Object.fromEntries(
      Object.entries(email.headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ),
    ...(email.replyTo === undefined ? {} : { replyTo: email.replyTo }),
    ...(email.messageId === undefined ? {} : { messageId: email.messageId }),
    // VERP: bounces go to the delivery's own address instead of the From mailbox.
    ...(email.envelopeFrom === undefined ? {} : { envelope: { from: email.envelopeFrom, to: email.to } }),
  };
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** A recipient's permanent failure, or a stop for the chunk. */
type Verdict = ChunkStop | { kind: 'failed'; reason: string };

function classifySmtpError(raw: unknown): Verdict {
  const error = (raw ?? {}) as SmtpError;
  const reply = error.response ?? error.message ?? String(raw);
  const code = error.responseCode === undefined ? error.code : String(error.responseCode);
  const detail = { reason: reply, ...(code === undefined ? {} : { code }) };
  if (error.code === 'EAUTH' || error.code === 'ENOAUTH' || error.responseCode === 535)
    return { kind: 'auth', ...detail };
  // ETLS: requireTLS is set but the server offers no STARTTLS, or the handshake failed.
  if (error.code === 'ETLS' || error.code === 'ECONFIG') return { kind: 'rejected', ...detail };
  const status = error.responseCode;
  if (status !== undefined && status >= 500) return { kind: 'failed', reason: reply };
  // No reply code: the connection failed or dropped, perhaps after the server took the message.
  return { kind: 'retryable', ...detail, maybeProcessed: status === undefined };
}

const SEVERITY: Record<ChunkStop['kind'], number> = {
  auth: 4,
  rejected: 3,
  quota: 2,
  conflict: 2,
  retryable: 1,
};

function worstStop(stops: ChunkStop[]): ChunkStop {
  return stops.reduce((worst, stop) => (SEVERITY[stop.kind] > SEVERITY[worst.kind] ? stop : worst));
}
