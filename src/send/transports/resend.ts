import { Resend, type CreateBatchEmailOptions } from 'resend';
import type {
  ChunkContext,
  ChunkOutcome,
  ChunkStop,
  OutgoingEmail,
  RecipientResult,
  Transport,
} from '../types.ts';
import { Pacer } from './rate.ts';

/** Resend's `POST /emails/batch` takes at most 100 emails. */
export const RESEND_BATCH_LIMIT = 100;

/** Options of {@link createResendTransport}. */
export interface ResendTransportOptions {
  apiKey: string;
  /** API origin, e.g. a stub's `http://127.0.0.1:PORT`. Default: the SDK's (or `RESEND_BASE_URL`). */
  baseUrl?: string | undefined;
  /** Our own ceiling on requests per second, below whatever `ratelimit-limit` announces. */
  maxRequestsPerSecond?: number | undefined;
  /** A request without a response after this long counts as a network failure. Default 30 s. */
  requestTimeoutMs?: number | undefined;
}

/** The error shape the SDK returns: the provider's JSON body, or its own for network failures. */
interface ResendError {
  name: string;
  message: string;
  statusCode: number | null;
}

/**
 * Sends chunks through the official SDK to `POST /emails/batch` with `x-batch-validation:
 * permissive`, so one invalid address fails alone instead of sinking the other 99.
 *
 * The SDK serialises each email with a fixed key order and we sort the custom headers, so the same
 * chunk always becomes the same bytes — what Resend's idempotency check compares. The SDK hands
 * back the response headers with both data and errors, which is all the pacer needs; no custom
 * fetch. Network failures come back as `application_error` with `statusCode: null`.
 */
export function createResendTransport(options: ResendTransportOptions): Transport {
  const client = new Resend(
    options.apiKey,
    options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, '') } : {},
  );
  const pacer = new Pacer({ maxPerWindow: options.maxRequestsPerSecond });
  const timeoutMs = options.requestTimeoutMs ?? 30_000;

  async function sendChunk(emails: readonly OutgoingEmail[], ctx: ChunkContext): Promise<ChunkOutcome> {
    if (emails.length > RESEND_BATCH_LIMIT) {
      throw new RangeError(
        `A Resend batch takes at most ${RESEND_BATCH_LIMIT} emails, got ${emails.length}.`,
      );
    }
    if (emails.length === 0) return { results: [] };
    const payload = emails.map(toResendEmail);
    const release = await pacer.acquire(ctx.signal);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
    try {
      const response = await client.batch
        .send(payload, { idempotencyKey: ctx.idempotencyKey, batchValidation: 'permissive', signal })
        // The SDK rethrows an abort that lands while it reads an error body; same as no response.
        .catch(() => ({ data: null, error: null, headers: null }));
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      pacer.update(response.headers, response.error?.statusCode ?? undefined);
      if (response.data) return { results: mapBatchResponse(emails, response.data) };
      const error: ResendError = response.error ?? {
        name: 'application_error',
        message: '',
        statusCode: null,
      };
      return {
        results: [],
        stop: classifyResendError(error, response.headers, timeout.aborted ? timeoutMs : undefined),
      };
    } finally {
      release();
    }
  }

  return { name: 'resend', maxChunkSize: RESEND_BATCH_LIMIT, sendChunk, close: async () => {} };
}

/** One email as the SDK takes it. Headers sorted by name: same email, same bytes. */
function toResendEmail(email: OutgoingEmail): CreateBatchEmailOptions {
  const headers = Object.fromEntries(
    Object.entries(email.headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return {
    from: email.from,
    to: email.to,
    subject: email.subject,
    html: email.html,
    text: email.text,
    headers,
    tags: email.tags.map(({ name, value }) => ({ name, value })),
    ...(email.replyTo === undefined ? {} : { replyTo: email.replyTo }),
  };
}

/**
 * Permissive mode answers `{data: [{id}…], errors: [{index, message}…]}`: `data` lists the ids of
 * the valid emails in payload order, skipping the ones named in `errors` (whose `index` is the
 * 0-based position in the request).
 */
function mapBatchResponse(
  emails: readonly OutgoingEmail[],
  body: { data: { id: string }[]; errors?: { index: number; message: string }[] },
): RecipientResult[] {
  const failed = new Map((body.errors ?? []).map((e) => [e.index, e.message]));
  const ids = body.data.map((d) => d.id);
  if (ids.length + failed.size !== emails.length) {
    throw new Error(
      `Resend answered ${ids.length} ids and ${failed.size} errors for a batch of ${emails.length}.`,
    );
  }
  let next = 0;
  return emails.map((email, index): RecipientResult => {
    const reason = failed.get(index);
    if (reason !== undefined) return { index, to: email.to, status: 'failed', reason };
    return { index, to: email.to, status: 'sent', providerId: ids[next++]! };
  });
}

/**
 * Maps a Resend error to a stop. Names first (429 covers rate limits and both quotas), then the
 * status: 5xx and no response retry; any other 4xx refused the whole request, which in permissive
 * mode means the request itself (sender domain, payload shape), not a recipient.
 */
export function classifyResendError(
  error: ResendError,
  headers: Record<string, string> | null,
  timedOutAfterMs?: number,
): ChunkStop {
  const status = error.statusCode;
  const code = error.name;
  const reason = status === null ? networkReason(timedOutAfterMs) : `${status} ${code}: ${error.message}`;
  const detail = { reason, code };
  switch (code) {
    case 'rate_limit_exceeded': {
      const seconds = Number.parseFloat(headers?.['retry-after'] ?? '');
      return {
        kind: 'retryable',
        ...detail,
        maybeProcessed: false,
        ...(Number.isFinite(seconds) ? { retryAfterMs: seconds * 1000 } : {}),
      };
    }
    case 'daily_quota_exceeded':
      return { kind: 'quota', period: 'daily', ...detail };
    case 'monthly_quota_exceeded':
      return { kind: 'quota', period: 'monthly', ...detail };
    case 'missing_api_key':
    case 'invalid_api_key':
    case 'restricted_api_key':
    case 'suspended_api_key':
      return { kind: 'auth', ...detail };
    case 'invalid_idempotent_request':
      return { kind: 'conflict', ...detail };
    case 'concurrent_idempotent_requests':
      // The first request with this key is still running; asking again later gets its answer.
      return { kind: 'retryable', ...detail, maybeProcessed: true, retryAfterMs: 1000 };
  }
  if (status === null || status >= 500 || status === 408)
    return { kind: 'retryable', ...detail, maybeProcessed: true };
  if (status === 429) return { kind: 'retryable', ...detail, maybeProcessed: false };
  if (status === 401) return { kind: 'auth', ...detail };
  return { kind: 'rejected', ...detail };
}

function networkReason(timedOutAfterMs: number | undefined): string {
  return timedOutAfterMs === undefined
    ? 'No response from Resend (the connection failed or was dropped).'
    : `No response from Resend within ${Math.round(timedOutAfterMs / 1000)} s.`;
}
