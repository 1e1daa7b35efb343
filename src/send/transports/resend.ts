import diagnostics from 'node:diagnostics_channel';
import { Resend } from 'resend';
import type {
  ChunkContext,
  ChunkOutcome,
  OutgoingEmail,
  Reservation,
  Transport,
  TransportCapabilities,
} from '../types.ts';
import type { MonotonicClock } from './clock.ts';
import { Pacer, type PacerTicket } from './rate.ts';
import { batchBody, streamOf } from './resend-body.ts';
import { classifyResendError, mapBatchResponse, type BatchBody, type ResendError } from './resend-answer.ts';

// Encoded in its own module; tests compare its bytes.
export { encodeBatch } from './resend-body.ts';

/** Resend's `POST /emails/batch` takes at most 100 emails. */
export const RESEND_BATCH_LIMIT = 100;

/**
 * Requests per second a Resend team may make unless it asked for more: the pacer's limit until
 * the first answer's `ratelimit-limit` says what it is.
 */
export const RESEND_DEFAULT_LIMIT = 2;

/**
 * Resend replays a batch sent again under the same idempotency key with the same body, for 24 h,
 * instead of sending it twice; eight chunks in flight keep its pace at the rate limit.
 */
export const RESEND_CAPABILITIES: TransportCapabilities = {
  idempotentRetry: { kind: 'within', windowMs: 24 * 3_600_000, provider: 'Resend' },
  perMessage: false,
  concurrency: 8,
  needsSecret: true,
};

/** Options of {@link createResendTransport}. */
export interface ResendTransportOptions {
  apiKey: string;
  /** API origin, e.g. a stub's `http://127.0.0.1:PORT`. Default: the SDK's (or `RESEND_BASE_URL`). */
  baseUrl?: string | undefined;
  /** Our own ceiling on requests per second, below whatever `ratelimit-limit` announces. */
  maxRequestsPerSecond?: number | undefined;
  /** A request without a response after this long counts as a network failure. Default 30 s. */
  requestTimeoutMs?: number | undefined;
  /** The pacer's clock; default the process's (tests pass a fake one). */
  clock?: MonotonicClock | undefined;
}

/**
 * Sends chunks through the official SDK to `POST /emails/batch` with `x-batch-validation:
 * permissive`, so one invalid address fails alone instead of sinking the other 99.
 *
 * The request body is encoded by {@link batchBody} (resend-body.ts: the SDK's own field names and
 * order) and * handed to the SDK's `fetchRequest` as a stream of buffers with its length, which then does
 * what its `batch.send` does — base URL, user agent, error bodies, response headers — without
 * the SDK turning 100 × ~70 KB of objects into JSON, and fetch encoding and copying it, for
 * every request. The same chunk always becomes the
 * same bytes, which is what Resend's idempotency check compares. Network failures come back as
 * `application_error` with `statusCode: null`.
 */
export function createResendTransport(options: ResendTransportOptions): Transport {
  const state: ResendState = {
    client: new Resend(
      options.apiKey,
      options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, '') } : {},
    ),
    pacer: new Pacer({
      maxPerWindow: options.maxRequestsPerSecond,
      initialLimit: RESEND_DEFAULT_LIMIT,
      clock: options.clock,
    }),
    apiKey: options.apiKey,
    timeoutMs: options.requestTimeoutMs ?? 30_000,
    reserved: new WeakMap(),
  };
  return {
    name: 'resend',
    maxChunkSize: RESEND_BATCH_LIMIT,
    capabilities: RESEND_CAPABILITIES,
    sendChunk: (emails, ctx) => sendBatch(state, emails, ctx),
    reserve: (signal) => reserve(state, signal),
    close: async () => {},
  };
}

/** What the calls of one transport share. */
interface ResendState {
  client: Resend;
  pacer: Pacer;
  apiKey: string;
  timeoutMs: number;
  /** A reservation is a pacer ticket the first attempt takes over; later attempts wait anew. */
  reserved: WeakMap<Reservation, PacerTicket>;
}

/** One chunk as one batch request, in its turn of the pacer. */
async function sendBatch(
  state: ResendState,
  emails: readonly OutgoingEmail[],
  ctx: ChunkContext,
): Promise<ChunkOutcome> {
  if (emails.length > RESEND_BATCH_LIMIT) {
    throw new RangeError(`A Resend batch takes at most ${RESEND_BATCH_LIMIT} emails, got ${emails.length}.`);
  }
  if (emails.length === 0) return { results: [] };
  const body = batchBody(emails); // kilobytes: the shared parts are referenced, not copied
  const ticket = claim(state, ctx.reservation) ?? (await state.pacer.acquire(ctx.signal));
  const timeout = AbortSignal.timeout(state.timeoutMs);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
  await ticket.handOver();
  const stopWatching = watchHead(ctx.idempotencyKey, () => ticket.sending());
  try {
    const response = await postBatch(state, body, ctx.idempotencyKey, signal);
    ticket.answered(response.headers, response.error?.statusCode ?? undefined, response.error?.name);
    // An answer that arrived is kept even if Ctrl-C came with it: it says who got the email.
    if (response.data) return { results: mapBatchResponse(emails, response.data) };
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    const error: ResendError = response.error ?? { name: 'application_error', message: '', statusCode: null };
    const timedOutAfterMs = timeout.aborted ? state.timeoutMs : undefined;
    return { results: [], stop: classifyResendError(error, response.headers, timedOutAfterMs) };
  } finally {
    stopWatching();
    ticket.release();
  }
}

/** `POST /emails/batch` through the SDK's `fetchRequest`, the body streamed from its pieces. */
function postBatch(
  state: ResendState,
  body: { pieces: Buffer[]; length: number },
  idempotencyKey: string,
  signal: AbortSignal,
) {
  return (
    state.client
      .fetchRequest<BatchBody>('/emails/batch', {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${state.apiKey}`,
          'User-Agent': state.client.userAgent,
          'Content-Type': 'application/json',
          'Content-Length': String(body.length),
          'Idempotency-Key': idempotencyKey,
          'x-batch-validation': 'permissive',
        },
        body: streamOf(body.pieces),
        duplex: 'half',
        signal,
      })
      // fetchRequest answers every failure (an abort too) as an error; this is belt and braces.
      .catch(() => ({ data: null, error: null, headers: null }))
  );
}

/** The pacer ticket a reservation holds, taken over once. */
function claim(state: ResendState, reservation: Reservation | undefined): PacerTicket | undefined {
  const ticket = reservation && state.reserved.get(reservation);
  if (reservation) state.reserved.delete(reservation);
  return ticket;
}

async function reserve(state: ResendState, signal?: AbortSignal): Promise<Reservation> {
  // A first attempt's turn: the ledger write between it and the request is its lead.
  const ticket = await state.pacer.acquire(signal, { lead: true });
  const reservation: Reservation = {
    release: () => {
      if (state.reserved.delete(reservation)) ticket.release();
    },
  };
  state.reserved.set(reservation, ticket);
  return reservation;
}

/**
 * Calls `onHead` when fetch writes the head of the request with this idempotency key — after
 * its connection is open, which may take a handshake or two on a new one. Told through undici's
 * `undici:client:sendHeaders` diagnostics channel (Node's fetch is undici); returns the way to
 * stop listening. Should the channel ever stay silent, the pacer counts the request from its
 * response, which is slower but always safe.
 */
function watchHead(idempotencyKey: string, onHead: () => void): () => void {
  if (!listening) {
    diagnostics.subscribe('undici:client:sendHeaders', (message) => {
      const head = (message as { headers?: unknown }).headers;
      if (typeof head !== 'string') return;
      const key = /\r\nidempotency-key: ([^\r]*)\r\n/i.exec(head)?.[1];
      if (key !== undefined) heads.get(key)?.();
    });
    listening = true;
  }
  heads.set(idempotencyKey, onHead);
  return () => {
    if (heads.get(idempotencyKey) === onHead) heads.delete(idempotencyKey);
  };
}

let listening = false;
const heads = new Map<string, () => void>();
