/**
 * The rules of the Resend API stub, free of HTTP: payload validation, the sliding rate window and
 * the error bodies, each shaped like Resend's (https://resend.com/docs/api-reference/errors).
 */

/** An email as the stub accepted it, in the API's own field names. */
export interface StubEmail {
  id: string;
  to: string[];
  from: string;
  subject: string;
  html: string | undefined;
  text: string | undefined;
  replyTo: string[] | undefined;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  idempotencyKey: string | undefined;
  /** `seq` of the request that delivered it. */
  requestSeq: number;
}

/** Faults the stub can inject into an API request (after auth and the rate limiter). */
export type StubFault =
  'none' | 'error500' | 'html502' | 'hang' | 'drop' | 'rateLimit' | 'dailyQuota' | 'monthlyQuota';

/** What the stub answers: status, JSON (or raw) body and headers. */
export interface StubReply {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** Resend's error body: `{statusCode, name, message}`. */
export function errorReply(
  status: number,
  name: string,
  message: string,
  headers: Record<string, string> = {},
): StubReply {
  return jsonReply(status, { statusCode: status, name, message }, headers);
}

/** A JSON reply with `content-type: application/json`. */
export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): StubReply {
  return { status, body: JSON.stringify(value), headers: { 'content-type': 'application/json', ...headers } };
}

/** Resend's documented messages for the errors the stub produces. */
export const MESSAGES = {
  missing_api_key: 'Missing API key in the authorization header.',
  invalid_api_key: 'API key is invalid.',
  rate_limit_exceeded:
    'Too many requests. Please limit the number of requests per second. Or contact support to increase rate limit.',
  daily_quota_exceeded: 'You have exceeded your daily email sending quota.',
  monthly_quota_exceeded: 'You have exceeded your monthly email sending quota.',
  invalid_idempotency_key: 'Idempotency keys, if present, must have between 1 and 256 characters.',
  invalid_idempotent_request:
    "This idempotency key has been used with this HTTP method and endpoint within the last 24 hours, but the request body was modified and doesn't match the original request.",
  concurrent_idempotent_requests: 'There is another request in progress with the same idempotency key.',
  application_error: 'An unexpected error occurred.',
  not_found: 'The requested endpoint does not exist.',
  method_not_allowed: 'Method is not allowed for the requested path.',
} as const;

/**
 * The reply of an injected fault, or undefined for `none` and `drop` (those are processed). `rl`
 * are the rate-limit headers of the admitted request.
 */
export function faultReply(fault: StubFault, rl: Record<string, string>): StubReply | 'hang' | undefined {
  switch (fault) {
    case 'hang':
      return 'hang';
    case 'error500':
      return errorReply(500, 'application_error', MESSAGES.application_error, rl);
    case 'html502':
      // What a load balancer in front of the API answers: HTML, no rate-limit headers.
      return {
        status: 502,
        body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
        headers: { 'content-type': 'text/html' },
      };
    case 'rateLimit':
      return errorReply(429, 'rate_limit_exceeded', MESSAGES.rate_limit_exceeded, {
        ...rl,
        'retry-after': '1',
      });
    case 'dailyQuota':
      return errorReply(429, 'daily_quota_exceeded', MESSAGES.daily_quota_exceeded, rl);
    case 'monthlyQuota':
      return errorReply(429, 'monthly_quota_exceeded', MESSAGES.monthly_quota_exceeded, rl);
    default:
      return undefined;
  }
}

/** An email that passed validation, before the stub gives it an id. */
export type ValidEmail = Omit<StubEmail, 'id' | 'idempotencyKey' | 'requestSeq'>;

/**
 * Validates a request body: a batch is an array of 1–100 emails. Strict mode (and `POST /emails`)
 * refuses the whole request for the first invalid email with 422 `validation_error`; permissive
 * mode returns the valid emails and `{index, message}` for the others.
 */
export function checkPayload(
  body: Buffer,
  batch: boolean,
  permissive: boolean,
): StubReply | { valid: ValidEmail[]; errors: { index: number; message: string }[] } {
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    return errorReply(400, 'validation_error', 'The request body is not valid JSON.');
  }
  if (batch && (!Array.isArray(payload) || payload.length === 0 || payload.length > 100)) {
    const tooMany = Array.isArray(payload) && payload.length > 100;
    return errorReply(
      422,
      'validation_error',
      tooMany
        ? 'Too many emails in the batch: at most 100 are allowed.'
        : 'The batch must be an array of 1 to 100 emails.',
    );
  }
  const parsed = (batch ? (payload as unknown[]) : [payload]).map(parseEmail);
  const errors = parsed.flatMap((p, index) => ('error' in p ? [{ index, message: p.error }] : []));
  if (errors[0] && (!batch || !permissive)) return errorReply(422, 'validation_error', errors[0].message);
  return { valid: parsed.flatMap((p) => ('email' in p ? [p.email] : [])), errors };
}

const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
const TAG = /^[A-Za-z0-9_-]{1,256}$/;

function isAddress(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const angle = /^[^<>]*<([^<>]+)>$/.exec(value.trim());
  return ADDRESS.test(angle ? angle[1]! : value.trim());
}

function addressList(value: unknown): string[] | undefined {
  const list = typeof value === 'string' ? [value] : value;
  return Array.isArray(list) && list.length > 0 && list.every(isAddress) ? list : undefined;
}

const formatHint =
  'The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.';

/** Checks one email of a request; returns the parsed email or the message Resend would give. */
export function parseEmail(raw: unknown): { email: ValidEmail } | { error: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { error: 'Each email must be an object.' };
  const e = raw as Record<string, unknown>;
  if (e.from === undefined) return { error: 'Missing `from` field.' };
  if (!isAddress(e.from)) return { error: `Invalid \`from\` field. ${formatHint}` };
  if (e.to === undefined) return { error: 'Missing `to` field.' };
  const to = addressList(e.to);
  if (!to) return { error: `Invalid \`to\` field. ${formatHint}` };
  if (to.length > 50) return { error: 'The `to` field can contain at most 50 addresses.' };
  if (typeof e.subject !== 'string' || e.subject === '') return { error: 'Missing `subject` field.' };
  if (typeof e.html !== 'string' && typeof e.text !== 'string')
    return { error: 'Missing `html` or `text` field.' };
  const replyTo = e.reply_to === undefined ? undefined : addressList(e.reply_to);
  if (e.reply_to !== undefined && !replyTo) return { error: `Invalid \`reply_to\` field. ${formatHint}` };
  const headers = (e.headers ?? {}) as Record<string, unknown>;
  if (typeof headers !== 'object' || Object.values(headers).some((v) => typeof v !== 'string')) {
    return { error: 'The `headers` field must be an object of strings.' };
  }
  const tags = (e.tags ?? []) as { name?: unknown; value?: unknown }[];
  if (!Array.isArray(tags) || !tags.every((t) => TAG.test(String(t.name)) && TAG.test(String(t.value)))) {
    return {
      error:
        'Tags should only contain ASCII letters (a–z, A–Z), numbers (0–9), underscores (_), or dashes (-).',
    };
  }
  return {
    email: {
      to,
      from: e.from,
      subject: e.subject,
      html: typeof e.html === 'string' ? e.html : undefined,
      text: typeof e.text === 'string' ? e.text : undefined,
      replyTo,
      headers: headers as Record<string, string>,
      tags: tags.map((t) => ({ name: String(t.name), value: String(t.value) })),
    },
  };
}

/**
 * A sliding-window limiter: at most `limit` admitted requests in any `windowMs`. Stricter than a
 * fixed window, so a client that passes it also passes Resend's. Rejected requests do not count.
 */
export class SlidingWindow {
  #admitted: number[] = [];
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Admits a request at `now` or not; either way returns the `ratelimit-*` headers to send. */
  take(now: number): { admitted: boolean; headers: Record<string, string> } {
    this.#admitted = this.#admitted.filter((t) => t > now - this.windowMs);
    const admitted = this.#admitted.length < this.limit;
    if (admitted) this.#admitted.push(now);
    const remaining = Math.max(0, this.limit - this.#admitted.length);
    // Whole seconds until the oldest admitted request leaves the window and frees a slot (the
    // epsilon keeps float noise such as 1.0000000000000002 from rounding up to 2).
    const oldest = this.#admitted[0];
    const reset =
      oldest === undefined ? 0 : Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000 - 1e-9));
    const headers: Record<string, string> = {
      'ratelimit-limit': String(this.limit),
      'ratelimit-remaining': String(remaining),
      'ratelimit-reset': String(reset),
    };
    if (!admitted) headers['retry-after'] = String(reset);
    return { admitted, headers };
  }

  clear(): void {
    this.#admitted = [];
  }
}

/** A small seeded PRNG (mulberry32), so a faulty run can be replayed with the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
