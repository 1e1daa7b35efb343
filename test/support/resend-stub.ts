/**
 * A loopback stub of Resend's email API for tests, driven through the real SDK's `baseUrl`:
 * `POST /emails`, `POST /emails/batch` (≤ 100, strict or permissive validation), Bearer auth,
 * `ratelimit-*` headers with 429 + `retry-after` over a sliding per-second limit, daily/monthly
 * quotas, idempotency keys (same key + same bytes → same ids; changed body → 409) and injectable
 * faults. Every accepted email is recorded; `GET /__stub/emails` and `GET /__stub/requests` expose
 * them to other processes. Out of process: `node bin/run-ts.js test/support/resend-stub.ts --port 0`
 * prints `RESEND_STUB_URL=http://127.0.0.1:PORT` (options: see resend-stub-process.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monotonicClock, type MonotonicClock } from '../../src/send/transports/clock.ts';
import {
  checkPayload,
  errorReply,
  faultReply,
  jsonReply,
  MESSAGES,
  seededRandom,
  SlidingWindow,
} from './resend-stub-rules.ts';
import type { StubEmail, StubFault, StubReply } from './resend-stub-rules.ts';

export type { StubEmail, StubFault } from './resend-stub-rules.ts';

/**
 * `script` faults hit the next requests, one each, before `rates` (a probability per fault) apply.
 * `drop` processes the request as usual (records new emails, replays an idempotent one), then
 * destroys the socket instead of answering.
 */
export interface StubFaults {
  rates?: Partial<Record<Exclude<StubFault, 'none'>, number>>;
  script?: StubFault[];
}

/** Options of {@link startResendStub}. */
export interface ResendStubOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The only key accepted as `Authorization: Bearer <key>`. Default `re_test_stub`. */
  apiKey?: string;
  /** Admitted API requests per `windowMs` (sliding). Default 10 (a raised limit: a Resend team's default is 2). */
  rateLimit?: number;
  windowMs?: number;
  faults?: StubFaults;
  /** Seed of the fault dice, for replayable runs. */
  seed?: number;
  /** Emails accepted before `daily_quota_exceeded` / `monthly_quota_exceeded`. */
  quota?: { daily?: number; monthly?: number };
  /** Processing time per API request, to make concurrent requests overlap. */
  latencyMs?: number;
  /** How long an idempotency key is remembered. Default 24 h, as Resend. */
  idempotencyTtlMs?: number;
  /**
   * When an API request counts against the rate limit: when its head arrives (default — what the
   * sender's pacer assumes of Resend) or once its whole body has been read (a provider that checks
   * the limit in its handler).
   */
  countAt?: 'head' | 'body';
  /**
   * Before reading a request's body, wait a random time up to this long (seeded), as a slow
   * upload would take: with `countAt: 'body'` the count then lags the head by a varying amount.
   */
  bodyDelayMs?: number;
  /**
   * Awaited before an accepted API request is processed, with its `seq`: a test holds requests
   * here to keep a send in flight at a known point (e.g. while it takes a backup).
   */
  hold?: (seq: number) => Promise<void>;
  /**
   * Where the stub's time comes from: request times (`at`), the rate window, `latencyMs`,
   * `bodyDelayMs` and the idempotency keys' time to live. Default the process's; a test shares
   * a fake one with the sender (test/support/loopback-time.ts).
   */
  clock?: MonotonicClock;
}

/** One API request as the stub saw it; `at` is milliseconds on the stub's monotonic clock. */
export interface StubRequest {
  seq: number;
  method: string;
  path: string;
  at: number;
  /** HTTP status; `hang`/`drop` for those faults; `aborted` when the client left mid-body. */
  status: number | 'hang' | 'drop' | 'aborted';
  fault: StubFault;
  idempotencyKey: string | undefined;
  bodySha256: string;
}

/** A running stub. */
export interface ResendStub {
  readonly url: string;
  readonly apiKey: string;
  emails(): StubEmail[];
  requests(): StubRequest[];
  setFaults(faults: StubFaults): void;
  /** Forgets emails, requests, idempotency keys, quota use and the rate window. */
  reset(): void;
  close(): Promise<void>;
}

interface Remembered {
  hash: string;
  at: number;
  reply: StubReply | undefined;
}

/** Starts the stub on loopback; resolves once it listens. */
export async function startResendStub(options: ResendStubOptions = {}): Promise<ResendStub> {
  const apiKey = options.apiKey ?? 're_test_stub';
  const clock = options.clock ?? monotonicClock;
  const window = new SlidingWindow(options.rateLimit ?? 10, options.windowMs ?? 1000);
  let faults: StubFaults = options.faults ?? {};
  const random = seededRandom(options.seed ?? 1);
  // Dice of their own, so a seeded run's faults stay the same with or without body delays.
  const delays = seededRandom((options.seed ?? 1) + 1);
  let emails: StubEmail[] = [];
  let requests: StubRequest[] = [];
  let remembered = new Map<string, Remembered>();
  let sent = 0;

  function pickFault(): StubFault {
    const scripted = faults.script?.shift();
    if (scripted) return scripted;
    for (const [fault, rate] of Object.entries(faults.rates ?? {}))
      if (random() < (rate ?? 0)) return fault as StubFault;
    return 'none';
  }

  async function api(
    req: IncomingMessage,
    path: string,
    body: Buffer,
    log: StubRequest,
    counted: ReturnType<SlidingWindow['take']> | undefined,
  ): Promise<StubReply | 'hang'> {
    const auth = req.headers.authorization;
    if (!auth) return errorReply(401, 'missing_api_key', MESSAGES.missing_api_key);
    if (auth !== `Bearer ${apiKey}` || !counted)
      return errorReply(403, 'invalid_api_key', MESSAGES.invalid_api_key);
    const limit = counted;
    if (!limit.admitted)
      return errorReply(429, 'rate_limit_exceeded', MESSAGES.rate_limit_exceeded, limit.headers);
    const rl = limit.headers;
    log.fault = pickFault();
    const injected = faultReply(log.fault, rl);
    if (injected) return injected;
    const key = log.idempotencyKey;
    if (key !== undefined && (key.length < 1 || key.length > 256)) {
      return errorReply(400, 'invalid_idempotency_key', MESSAGES.invalid_idempotency_key, rl);
    }
    const scope = `${req.method} ${path} ${key}`;
    const ttl = options.idempotencyTtlMs ?? 24 * 3_600_000;
    const found = key === undefined ? undefined : remembered.get(scope);
    const earlier = found && clock.now() - found.at < ttl ? found : undefined;
    if (earlier && earlier.hash !== log.bodySha256) {
      return errorReply(409, 'invalid_idempotent_request', MESSAGES.invalid_idempotent_request, rl);
    }
    if (earlier && !earlier.reply) {
      return errorReply(409, 'concurrent_idempotent_requests', MESSAGES.concurrent_idempotent_requests, rl);
    }
    if (earlier?.reply) return { ...earlier.reply, headers: { ...earlier.reply.headers, ...rl } };
    const entry: Remembered = { hash: log.bodySha256, at: clock.now(), reply: undefined };
    if (key !== undefined) remembered.set(scope, entry);
    if (options.hold) await options.hold(log.seq);
    if (options.latencyMs) await clock.sleep(options.latencyMs);
    const reply = accept(path, body, req.headers['x-batch-validation'] === 'permissive', log);
    // Only successes are remembered (Resend: "an email with the same key has already been sent").
    if (reply.status === 200) entry.reply = reply;
    else remembered.delete(scope);
    return { ...reply, headers: { ...reply.headers, ...rl } };
  }

  function accept(path: string, body: Buffer, permissive: boolean, log: StubRequest): StubReply {
    const batch = path === '/emails/batch';
    const checked = checkPayload(body, batch, permissive);
    if ('status' in checked) return checked;
    const { valid, errors } = checked;
    if (options.quota?.daily !== undefined && sent + valid.length > options.quota.daily) {
      return errorReply(429, 'daily_quota_exceeded', MESSAGES.daily_quota_exceeded);
    }
    if (options.quota?.monthly !== undefined && sent + valid.length > options.quota.monthly) {
      return errorReply(429, 'monthly_quota_exceeded', MESSAGES.monthly_quota_exceeded);
    }
    sent += valid.length;
    const accepted = valid.map((e) => ({
      id: randomUUID(),
      ...e,
      idempotencyKey: log.idempotencyKey,
      requestSeq: log.seq,
    }));
    emails.push(...accepted);
    const data = accepted.map(({ id }) => ({ id }));
    if (!batch) return jsonReply(200, data[0]);
    return jsonReply(200, permissive ? { data, errors } : { data });
  }

  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let at = clock.now();
    const path = new URL(req.url ?? '/', 'http://stub').pathname;
    // A request counts against the rate limit when it arrives — its headers, not the end of its
    // body, unless `countAt: 'body'` — and the limiter and the request log (`at`) agree on every
    // request's instant.
    const limited =
      req.method === 'POST' &&
      (path === '/emails' || path === '/emails/batch') &&
      req.headers.authorization === `Bearer ${apiKey}`;
    const atBody = options.countAt === 'body';
    let counted = limited && !atBody ? window.take(at) : undefined;
    const chunks: Buffer[] = [];
    try {
      if (options.bodyDelayMs) {
        req.pause();
        await clock.sleep(delays() * options.bodyDelayMs);
        req.resume();
      }
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (limited && atBody) counted = window.take((at = clock.now()));
    } catch {
      // The client went away mid-body (a killed sender): nothing to process, nobody to answer.
      // It still arrived, and counted against the limit.
      if (counted) requests.push({ ...unread(at, path, req), seq: requests.length + 1 });
      return;
    }
    const body = Buffer.concat(chunks);
    // Hashing and checking a large batch holds this thread for tens of milliseconds: first let
    // it notice the requests that have arrived meanwhile, so their arrival times stay true.
    await new Promise((resolve) => setImmediate(resolve));
    const control = controlReply(req.method ?? 'GET', path, body);
    if (control) return send(res, control);
    const known = path === '/emails' || path === '/emails/batch';
    if (!known) return send(res, errorReply(404, 'not_found', MESSAGES.not_found));
    if (req.method !== 'POST')
      return send(res, errorReply(405, 'method_not_allowed', MESSAGES.method_not_allowed));
    const header = req.headers['idempotency-key'];
    const idempotencyKey = Array.isArray(header) ? header[0] : header;
    const bodySha256 = createHash('sha256').update(body).digest('hex');
    const log: StubRequest = {
      seq: requests.length + 1,
      method: 'POST',
      path,
      at,
      status: 0,
      fault: 'none',
      idempotencyKey,
      bodySha256,
    };
    requests.push(log);
    const answer = await api(req, path, body, log, counted);
    // A dropped response is the network's doing: whatever the API answered (a replay of an
    // idempotent request too), the client hears nothing.
    const reply = log.fault === 'drop' ? 'drop' : answer;
    log.status = typeof reply === 'string' ? reply : reply.status;
    if (reply === 'drop') req.socket.destroy();
    else if (reply !== 'hang') send(res, reply);
  }

  function controlReply(method: string, path: string, body: Buffer): StubReply | undefined {
    if (method === 'GET' && path === '/__stub/emails') return jsonReply(200, { data: emails });
    if (method === 'GET' && path === '/__stub/requests') return jsonReply(200, { data: requests });
    if (method === 'POST' && path === '/__stub/faults') {
      faults = JSON.parse(body.toString('utf8') || '{}') as StubFaults;
      return jsonReply(200, { ok: true });
    }
    if (method === 'POST' && path === '/__stub/reset') {
      reset();
      return jsonReply(200, { ok: true });
    }
    return undefined;
  }

  function reset(): void {
    emails = [];
    requests = [];
    remembered = new Map();
    sent = 0;
    window.clear();
  }

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    apiKey,
    emails: () => structuredClone(emails),
    requests: () => structuredClone(requests),
    setFaults: (next) => void (faults = structuredClone(next)),
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung requests and idle keep-alive sockets would keep close() waiting forever.
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, reply: StubReply): void {
  res.writeHead(reply.status, reply.headers).end(reply.body);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { runStubCli } = await import('./resend-stub-process.ts');
  await runStubCli(startResendStub, process.argv.slice(2));
}

/** The log entry of a request whose body never fully arrived. */
function unread(at: number, path: string, req: IncomingMessage): Omit<StubRequest, 'seq'> {
  const header = req.headers['idempotency-key'];
  return {
    method: req.method ?? 'POST',
    path,
    at,
    status: 'aborted',
    fault: 'none',
    idempotencyKey: Array.isArray(header) ? header[0] : header,
    bodySha256: '',
  };
}
