import type { ChunkStop } from '../types.ts';

/**
 * What a failed SMTP transaction means for its recipient and the send: a stop of the chunk (for
 * `retryable`: the message certainly was not delivered), a permanent failure of this recipient,
 * or an unknown outcome.
 */
export type SmtpVerdict =
  ChunkStop | { kind: 'failed'; reason: string } | { kind: 'uncertain'; reason: string };

/** The fields nodemailer's smtp-connection sets on its errors (`_formatError`). */
interface SmtpError {
  /** `EAUTH`, `EENVELOPE` (MAIL/RCPT/DATA command refused), `EMESSAGE` (the message refused), `ECONNECTION`… */
  code?: string;
  /** The relay's reply code, when a reply came. */
  responseCode?: number;
  response?: string;
  /** `MAIL FROM`, `RCPT TO`, `DATA` (the command or the message), `CONN` (the connection, at any stage), `API`. */
  command?: string;
  message?: string;
}

/**
 * Classifies a nodemailer error. A reply from the relay is definite: it answered this command,
 * so a 4xx refused it for now (retry) and a 5xx for good. Without a reply — the connection was
 * refused, reset, closed or timed out — nodemailer says `CONN` whatever the stage, so `bodySent`
 * tells: before the message's first byte went out the relay cannot have it (retry); after, it may
 * have it all and have queued it, and only its lost reply would tell (uncertain). A drop in the
 * middle of the body counts as uncertain too: no silent duplicate, at the cost of a question.
 */
export function classifySmtpError(raw: unknown, bodySent: boolean): SmtpVerdict {
  const error = (raw ?? {}) as SmtpError;
  const reply = error.response ?? error.message ?? String(raw);
  const status = error.responseCode;
  const code = status === undefined ? error.code : String(status);
  const detail = { reason: reply, ...(code === undefined ? {} : { code }) };
  if (error.code === 'EAUTH' || error.code === 'ENOAUTH' || status === 535)
    return { kind: 'auth', ...detail };
  // ETLS: requireTLS is set but the server offers no STARTTLS, or the handshake failed.
  if (error.code === 'ETLS' || error.code === 'ECONFIG') return { kind: 'rejected', ...detail };
  if (status !== undefined && error.command !== 'CONN') {
    // The sender refused: it would be refused for every recipient.
    if (error.command === 'MAIL FROM' && status >= 500) return { kind: 'rejected', ...detail };
    if (status >= 500) return { kind: 'failed', reason: reply };
    return { kind: 'retryable', ...detail, maybeProcessed: false };
  }
  if (bodySent) {
    return {
      kind: 'uncertain',
      reason: `the connection to the relay ended after the message was sent, before its reply (${reply})`,
    };
  }
  // nodemailer refused the address or the message before sending anything.
  if (error.code === 'EENVELOPE') return { kind: 'failed', reason: reply };
  if (error.code === 'EMESSAGE' || error.code === 'ESTREAM') return { kind: 'rejected', ...detail };
  return { kind: 'retryable', ...detail, maybeProcessed: false };
}

const SEVERITY: Record<ChunkStop['kind'], number> = {
  auth: 4,
  rejected: 3,
  quota: 2,
  conflict: 2,
  retryable: 1,
};

/** The stop that decides what happens to the chunk: the most severe of them. */
export function worstStop(stops: readonly ChunkStop[]): ChunkStop | undefined {
  return stops.reduce<ChunkStop | undefined>(
    (worst, stop) => (worst && SEVERITY[worst.kind] >= SEVERITY[stop.kind] ? worst : stop),
    undefined,
  );
}
