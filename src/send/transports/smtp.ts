import type { Readable } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import DKIM from 'nodemailer/lib/dkim';
import type { SendMailOptions } from 'nodemailer/lib/mailer';
import type {
  ChunkStop,
  OutgoingEmail,
  RecipientResult,
  Transport,
  TransportCapabilities,
} from '../types.ts';
import { classifySmtpError } from './smtp-errors.ts';
import { sendInLanes } from './smtp-lanes.ts';

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

/**
 * A relay cannot recognise a message sent twice, so nothing handed over without a reply is sent
 * again by itself; each message is its own transaction, so only those in flight are in doubt.
 * The transport runs a lane per pooled connection itself.
 */
export const SMTP_CAPABILITIES: TransportCapabilities = {
  idempotentRetry: { kind: 'never' },
  perMessage: true,
  concurrency: 1,
  needsSecret: true,
};

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
  /** How long to wait for any reply (nodemailer's default: 10 minutes, as RFC 5321 §4.5.3.2 asks after the message). */
  socketTimeoutMs?: number | undefined;
}

/**
 * An SMTP relay through a nodemailer pool. Each email is one SMTP transaction; up to
 * `maxConnections` go at once, each reported through `ctx.progress` as it starts and ends, so the
 * ledger knows every message's fate as it happens. Results are per recipient: a 5xx reply is
 * permanent for that recipient; a 4xx reply or a failure before the message's first byte went out
 * stops the chunk retryably with those recipients pending; a connection lost after that is an
 * `uncertain` result, never retried (see {@link classifySmtpError}). The caller's Message-ID is
 * kept so a deliberately resent message carries the same id.
 */
export function createSmtpTransport(options: SmtpTransportOptions): Transport {
  const mailer = createPool(options);
  const send = (email: OutgoingEmail, index: number) => sendOne(mailer, email, index);
  return {
    name: 'smtp',
    maxChunkSize: 100,
    capabilities: SMTP_CAPABILITIES,
    sendChunk: (emails, ctx) => sendInLanes(emails, ctx, options.maxConnections, send),
    close: () => Promise.resolve(mailer.close()),
  };
}

/** nodemailer's SMTP pool. */
type Pool = Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;

/** The nodemailer pool, signing each message as the connection reads it. */
function createPool(options: SmtpTransportOptions): Pool {
  // `maxRequeues` is missing from the types, which then fall back to an untyped transporter.
  const settings: SMTPPool.Options & { maxRequeues: number } = {
    pool: true,
    host: options.host,
    port: options.port,
    secure: options.secure,
    requireTLS: options.requireTLS,
    maxConnections: options.maxConnections,
    // nodemailer would resend a message whose connection dropped by itself; the ledger decides.
    maxRequeues: 0,
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.rateLimitPerSecond ? { rateLimit: options.rateLimitPerSecond, rateDelta: 1000 } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.socketTimeoutMs ? { socketTimeout: options.socketTimeoutMs } : {}),
  };
  const mailer = nodemailer.createTransport(settings);
  const dkim = options.dkim && new DKIM({ ...options.dkim, headerFieldNames: DKIM_HEADER_FIELDS });
  // The stream the connection reads the message from, kept to see whether it read any of it.
  // Signing happens here rather than through nodemailer's `dkim` option, which would wrap this
  // stream in its signer and read it whole before the connection asks for a byte.
  mailer.use('stream', (mail, done) => {
    const probe = (mail.data as { [PROBE]?: Probe })[PROBE];
    mail.message.processFunc((input) => {
      const output = dkim ? dkim.sign(input) : input;
      if (probe) probe.stream = output;
      return output;
    });
    done();
  });
  return mailer;
}

/** One email as one SMTP transaction: its recipient's result, or a stop of the chunk. */
async function sendOne(
  mailer: Pool,
  email: OutgoingEmail,
  index: number,
): Promise<RecipientResult | ChunkStop> {
  const probe: Probe = {};
  const mail: SendMailOptions & { [PROBE]: Probe } = { ...toMailOptions(email), [PROBE]: probe };
  try {
    const info = (await mailer.sendMail(mail)) as { messageId: string };
    return { index, to: email.to, status: 'sent', providerId: info.messageId };
  } catch (error) {
    // The connection pipes the message only after the relay's 354 to DATA.
    const verdict = classifySmtpError(error, probe.stream?.readableDidRead === true);
    if (verdict.kind === 'failed' || verdict.kind === 'uncertain')
      return { index, to: email.to, status: verdict.kind, reason: verdict.reason };
    return verdict;
  }
}

/** The key of a message's {@link Probe} among its nodemailer options. */
const PROBE = 'nyhetsbrevProbe';

/** Filled in by the `stream` plugin: the message stream the connection reads. */
interface Probe {
  stream?: Readable;
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
