import type { ChunkStop, OutgoingEmail, RecipientResult } from '../types.ts';

/** The error shape the SDK returns: the provider's JSON body, or its own for network failures. */
export interface ResendError {
  name: string;
  message: string;
  statusCode: number | null;
}

/** What `POST /emails/batch` answers in permissive mode. */
export interface BatchBody {
  data: { id: string }[];
  errors?: { index: number; message: string }[];
}

/**
 * Permissive mode answers `{data: [{id}…], errors: [{index, message}…]}`: `data` lists the ids of
 * the valid emails in payload order, skipping the ones named in `errors` (whose `index` is the
 * 0-based position in the request).
 */
export function mapBatchResponse(emails: readonly OutgoingEmail[], body: BatchBody): RecipientResult[] {
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
