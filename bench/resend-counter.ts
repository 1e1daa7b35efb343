/**
 * A Resend API stand-in for sends too large for the test stub (test/support/resend-stub.ts keeps
 * every accepted email in memory: ~70 KB each, 7 GB at 100,000). Same rules where they shape the
 * sender's pace — Bearer auth, the stub's own `SlidingWindow` (`ratelimit-*` headers, 429 with
 * `retry-after`), payload validation with `checkPayload` (one request in ten in full, see
 * resend-counter-check.ts), idempotency keys, a fixed latency — but
 * it keeps only counts and request times. Run: `node bin/run-ts.js bench/resend-counter.ts
 * --rate-limit 10 --latency-ms 50`; prints `RESEND_STUB_URL=<url>`; `GET /__stub/requests` gives
 * `{ data: [{ at, status }], origin }` (`at` is `performance.now()` on arrival, `origin` this
 * process's `performance.timeOrigin`), `GET /__stub/count` the emails accepted.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { FULL_CHECK_EVERY, type CheckJob, type CheckResult } from './resend-counter-check.ts';
import {
  errorReply,
  jsonReply,
  MESSAGES,
  SlidingWindow,
  type StubReply,
} from '../test/support/resend-stub-rules.ts';

const { values } = parseArgs({
  options: {
    'rate-limit': { type: 'string' },
    'latency-ms': { type: 'string' },
    'api-key': { type: 'string' },
  },
});
const apiKey = values['api-key'] ?? 're_test_stub';
const latencyMs = Number(values['latency-ms'] ?? 0);
const window = new SlidingWindow(Number(values['rate-limit'] ?? 10), 1000);

// Hashing and validating run in a worker, so this thread stays free to notice arrivals.
const checker = new Worker(new URL('../bin/run-ts.js', import.meta.url), {
  argv: [new URL('./resend-counter-check.ts', import.meta.url).pathname],
});
checker.unref();
const pending = new Map<number, (result: CheckResult) => void>();
checker.on('message', (result: CheckResult) => {
  pending.get(result.id)?.(result);
  pending.delete(result.id);
});
let jobs = 0;
function check(body: Buffer, batch: boolean, permissive: boolean, full: boolean): Promise<CheckResult> {
  const job: CheckJob = { id: ++jobs, body, batch, permissive, full };
  return new Promise((resolve) => {
    pending.set(job.id, resolve);
    // Moved, not copied: the worker is the only one to read it.
    checker.postMessage(job, body.byteLength === body.buffer.byteLength ? [body.buffer as ArrayBuffer] : []);
  });
}
const requests: { at: number; status: number }[] = [];
const remembered = new Map<string, { hash: string; reply: StubReply }>();
let accepted = 0;
let checks = 0;
let sequence = 0;

const server = createServer((req, res) => void handle(req, res));

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = performance.now();
  // Counted on arrival (headers), as the test stub does: the log and the limiter agree.
  const isApi =
    req.method === 'POST' && /^\/emails(\/batch)?$/.test(new URL(req.url ?? '/', 'http://stub').pathname);
  const counted = isApi && req.headers.authorization === `Bearer ${apiKey}` ? window.take(at) : undefined;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    return; // the client went away mid-body
  }
  const body = Buffer.concat(chunks);
  const path = new URL(req.url ?? '/', 'http://stub').pathname;
  if (req.method === 'GET' && path === '/__stub/requests')
    return send(res, jsonReply(200, { data: requests, origin: performance.timeOrigin }));
  if (req.method === 'GET' && path === '/__stub/count')
    return send(res, jsonReply(200, { emails: accepted }));
  if (req.method !== 'POST' || (path !== '/emails' && path !== '/emails/batch')) {
    return send(res, errorReply(404, 'not_found', MESSAGES.not_found));
  }
  const log = { at, status: 0 };
  requests.push(log);
  const reply = await apiReply(req, path, body, counted);
  log.status = reply.status;
  send(res, reply);
}

async function apiReply(
  req: IncomingMessage,
  path: string,
  body: Buffer,
  limit: ReturnType<SlidingWindow['take']> | undefined,
): Promise<StubReply> {
  if (!limit) return errorReply(403, 'invalid_api_key', MESSAGES.invalid_api_key);
  if (!limit.admitted)
    return errorReply(429, 'rate_limit_exceeded', MESSAGES.rate_limit_exceeded, limit.headers);
  const key = req.headers['idempotency-key'];
  const batch = path === '/emails/batch';
  const permissive = req.headers['x-batch-validation'] === 'permissive';
  const { hash, checked } = await check(body, batch, permissive, checks++ % FULL_CHECK_EVERY === 0);
  const earlier = typeof key === 'string' ? remembered.get(key) : undefined;
  if (earlier) {
    if (earlier.hash !== hash)
      return errorReply(
        409,
        'invalid_idempotent_request',
        MESSAGES.invalid_idempotent_request,
        limit.headers,
      );
    return { ...earlier.reply, headers: { ...earlier.reply.headers, ...limit.headers } };
  }
  if (latencyMs) await new Promise((resolve) => setTimeout(resolve, latencyMs));
  if ('status' in checked) return checked;
  accepted += checked.valid;
  const data = Array.from({ length: checked.valid }, () => ({ id: `bench-${++sequence}` }));
  const reply = !batch
    ? jsonReply(200, data[0])
    : jsonReply(200, permissive ? { data, errors: checked.errors } : { data });
  if (typeof key === 'string') remembered.set(key, { hash, reply });
  return { ...reply, headers: { ...reply.headers, ...limit.headers } };
}

function send(res: ServerResponse, reply: StubReply): void {
  res.writeHead(reply.status, reply.headers).end(reply.body);
}

// Ready before anyone is told where: the checker loaded and its code run once, as a provider
// already serving others would be (a cold start would notice the first requests late).
const sample = Buffer.from(
  JSON.stringify(
    Array.from({ length: 100 }, (_, i) => ({
      from: 'Bench <bench@example.org>',
      to: [`warm${i}@example.org`],
      subject: 'warm-up',
      html: '<p>warm-up</p>'.repeat(2000),
      text: 'warm-up',
    })),
  ),
);
for (let i = 0; i < 5; i++) await check(Buffer.from(sample), true, true, i % 2 === 0);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`RESEND_STUB_URL=http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
