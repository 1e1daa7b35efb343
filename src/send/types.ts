import type { Recipient, SplitEmail } from '../render/personalise.ts';
import type { TransportName } from './transport-names.ts';

/**
 * The transport layer's plain data: what the deliver loop hands a {@link Transport}, and what it
 * gets back. Transports make one attempt per call; retrying, the ledger and progress live above.
 */

/** A provider tag (Resend `tags`): ASCII letters, digits, `_` and `-` only, ≤ 256 characters each. */
export interface EmailTag {
  name: string;
  value: string;
}

/** One fully personalised email to exactly one recipient. */
export interface OutgoingEmail {
  /** The one recipient address (a newsletter email never has more). */
  to: string;
  /** `Name <address>` or a bare address. */
  from: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  /**
   * Extra header fields, written as given: `List-Unsubscribe`, `List-Unsubscribe-Post`, `List-Id`.
   * Transports sort them by name so the same email always serialises to the same bytes.
   */
  headers: Record<string, string>;
  /**
   * The SMTP envelope sender (Return-Path) when it differs from `from`: a VERP address
   * `bounce+<token>@<bounce domain>` naming this delivery (bounces/verp.ts). Resend ignores it.
   */
  envelopeFrom?: string;
  /** Resend tags (issue and campaign ids). SMTP and outbox do not carry them. */
  tags: EmailTag[];
  /**
   * `Message-ID` with angle brackets, such as `<c12-1a2b3c4d.9f86d081884c7d659a2feaa0c55ad015@example.org>`
   * (campaign, then a keyed hash of the delivery; see message-id.ts). SMTP and outbox use it so a
   * resent message keeps its id, and the outbox names its file by it; Resend assigns its own ids
   * and ignores it.
   */
  messageId?: string;
  /**
   * Set when `html` and `text` are a campaign's shared parts joined with this recipient's values
   * (`composeEmail`): `html === joinParts(shared.html, shared.htmlSlots, values.html)`, likewise
   * `text` (render/personalise.ts). A transport may
   * then encode the shared parts once per campaign instead of ~70 KB per email (Resend), and the
   * ledger hashes a chunk from `shared.sha256` and the values instead of every email whole.
   */
  personal?: { shared: SharedContent; values: { html: Recipient; text: Recipient } };
}

/** Names of the transports (see transport-names.ts, which the config schema takes them from). */
export { TRANSPORT_NAMES, type TransportName } from './transport-names.ts';

/** Per call: which chunk this is, and a way to give up on it. */
export interface ChunkContext {
  /**
   * The same for every attempt at the same chunk, e.g. `nyhetsbrev/<campaign>/<chunk>`. Resend
   * de-duplicates on it for 24 h (with a byte-identical body).
   */
  idempotencyKey: string;
  /** Aborting it makes `sendChunk` reject with `signal.reason`; the chunk's outcome is then unknown. */
  signal?: AbortSignal;
  /** A slot from this transport's `reserve`, used by the first attempt instead of waiting again. */
  reservation?: Reservation;
  /** Where a per-message transport ({@link TransportCapabilities.perMessage}) reports each message as it starts and ends. */
  progress?: MessageProgress;
}

/**
 * The ledger's hooks for a transport that sends one message per transaction (SMTP), so a crash
 * leaves in doubt only the messages that were in flight, not the whole chunk.
 */
export interface MessageProgress {
  /**
   * Called before message `index` goes out; the message goes only after the promise resolves
   * (the ledger has written it as in flight). `false`: do not send it — the recipient was erased
   * or skipped meanwhile. That message then gets no result.
   */
  start(index: number): Promise<boolean>;
  /**
   * The message's outcome once it has one: a result, or `undefined` when it certainly was not
   * delivered and is pending again (a refused connection, a 4xx reply).
   */
  end(index: number, result: RecipientResult | undefined): void;
}

/** A request slot held for a chunk (see {@link Transport.reserve}). */
export interface Reservation {
  /** Gives the slot back unused; a no-op once the transport has used it. */
  release(): void;
}

/** What happened to one email of the chunk. `index` is its position in the chunk. */
export type RecipientResult =
  | { index: number; to: string; status: 'sent'; providerId: string }
  /** Permanent for this recipient (bad address, mailbox rejected it): never retry it. */
  | { index: number; to: string; status: 'failed'; reason: string }
  /**
   * The relay may have accepted it (the connection ended after the message was sent, before the
   * reply): never retried automatically, since a relay cannot recognise a message sent twice.
   */
  | { index: number; to: string; status: 'uncertain'; reason: string };

/**
 * Why a transport stopped before every email had a result. Every kind means: the emails without a
 * result were not (knowingly) delivered and may be tried again with the same chunk context.
 *
 * - `retryable`: 5xx, network error, timeout, 429 rate limit, a concurrent request with the same key.
 *   Wait (`retryDelayMs` in `transports/retry.ts`) and try again.
 * - `quota`: the provider's daily or monthly sending quota is used up. Stop and checkpoint.
 * - `auth`: the credentials were refused (401/403, SMTP 535). Abort the send.
 * - `conflict`: the idempotency key was used with a different body (409). The chunk changed since
 *   it was first sent; retrying cannot help. Abort and report.
 * - `rejected`: the provider refused the whole request for a reason of ours, not of a recipient's
 *   (an unverified sender domain, a malformed request, STARTTLS required but not offered, an
 *   unwritable outbox). Nothing was sent; abort, fix, resume.
 */
export type ChunkStop =
  | (StopDetail & {
      kind: 'retryable';
      /** Milliseconds the provider asked us to wait (`retry-after`). */
      retryAfterMs?: number;
      /**
       * False only when the request certainly was not processed (429, refused connection). Always
       * false from SMTP: an email that may have gone through is an `uncertain` result instead.
       */
      maybeProcessed: boolean;
    })
  | (StopDetail & { kind: 'quota'; period: 'daily' | 'monthly' })
  | (StopDetail & { kind: 'auth' | 'conflict' | 'rejected' });

/** What every {@link ChunkStop} says: a human reason and the provider's code, when it gave one. */
export interface StopDetail {
  /** What the provider said, for the final summary (`429 rate_limit_exceeded: Too many requests…`). */
  reason: string;
  /** Provider error name or SMTP/HTTP status, e.g. `daily_quota_exceeded`, `535`. */
  code?: string;
}

/**
 * The outcome of one `sendChunk` call. Invariant: without `stop`, `results` has exactly one entry
 * per email, in chunk order (but for emails whose `ctx.progress.start` said not to send them). With
 * `stop`, `results` holds only the emails that got a definite outcome before the stop (always none
 * for Resend, whose batch is all-or-nothing); the rest are to be sent again later.
 */
export interface ChunkOutcome {
  results: RecipientResult[];
  stop?: ChunkStop;
}

/**
 * A campaign's email cut at its recipient token (the parts every recipient shares), with the
 * content hash of the whole (`contentSha256`).
 */
export interface SharedContent extends SplitEmail {
  sha256: string;
}

/**
 * A way to send emails. Implementations make exactly one attempt per `sendChunk` call and never
 * reject for provider or network trouble — that is a {@link ChunkStop} in the outcome. They reject
 * only on a caller bug (a chunk larger than `maxChunkSize`) or when `ctx.signal` aborts.
 * Pacing to the provider's rate limit is the transport's own business (it sees the headers).
 */
export interface Transport {
  readonly name: TransportName;
  /**
   * The folder on this machine its emails are written to, for the operator to look in (the
   * outbox); left out when they leave the machine (a provider's API, a relay). Per transport
   * made, unlike its {@link capabilities}: it comes from the config.
   */
  readonly folder?: string;
  /** The most emails one `sendChunk` call accepts (Resend's batch limit is 100). */
  readonly maxChunkSize: number;
  /** What it can promise; the send stage decides by these, never by the transport's name. */
  readonly capabilities: TransportCapabilities;
  sendChunk(emails: readonly OutgoingEmail[], ctx: ChunkContext): Promise<ChunkOutcome>;
  /**
   * Waits until the provider's pace lets one more request start and holds that slot, so a
   * chunk is written to the ledger as started only when it is about to go (not while it waits
   * its turn). Transports without a pace of their own leave it out.
   */
  reserve?(signal?: AbortSignal): Promise<Reservation>;
  /** Closes pooled connections. The transport is unusable afterwards. */
  close(): Promise<void>;
}

/**
 * What a transport can promise, declared by each transport (`RESEND_CAPABILITIES`, …) so that the
 * deliver loop, recovery and the secret check ask what it can do instead of which one it is.
 */
export interface TransportCapabilities {
  /**
   * Whether a chunk handed over without an answer (a crash, a timeout) may be sent again under
   * the same idempotency key without anyone getting it twice.
   * - `always`: sending again is harmless (the outbox overwrites the same files).
   * - `within`: the provider de-duplicates on the key for `windowMs` after its first use, given a
   *   byte-identical body (Resend: 24 h); later, or with another body, the chunk is uncertain.
   * - `never`: nothing recognises a repeat (an SMTP relay): what was in flight is uncertain.
   */
  idempotentRetry:
    { kind: 'always' } | { kind: 'within'; windowMs: number; provider: string } | { kind: 'never' };
  /**
   * True when each email is its own transaction with its own outcome (SMTP): `sendChunk` then
   * reports every message through `ctx.progress` as it starts and ends, the ledger keeps a row
   * queued until its own message starts, and after a crash only the messages in flight (past
   * DATA, without a reply) are uncertain. Otherwise a chunk is one request, all or nothing.
   */
  perMessage: boolean;
  /**
   * Chunks in flight at once unless `--concurrency` says otherwise: enough to reach the
   * provider's rate limit (Resend), else 1. A per-message transport always gets 1 — it runs a
   * lane per connection itself.
   */
  concurrency: number;
  /**
   * It reaches real people, so unsubscribe links must be signed with `NYHETSBREV_SECRET`, the key
   * `nyhetsbrev serve` verifies them with. Without it a per-database key may stand in (outbox).
   */
  needsSecret: boolean;
}
