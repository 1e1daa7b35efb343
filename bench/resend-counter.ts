/**
 * A Resend API stand-in for sends too large for the test stub (test/support/resend-stub.ts keeps
 * every accepted email in memory: ~70 KB each, 7 GB at 100,000). Same rules where they shape the
 * sender's pace — Bearer auth, the stub's own `SlidingWindow` (`ratelimit-*` headers, 429 with
 * `retry-after`), payload validation with `checkPayload`, idempotency keys, a fixed latency — but
 * it keeps only counts and request times. Run: `node bin/run-ts.js bench/resend-counter.ts
 * --rate-limit 10 --latency-ms 50`; prints `RESEND_STUB_URL=<url>`; `GET /__stub/requests` gives
 * `{ data: [{ at, status }] }`, `GET /__stub/count` the emails accepted.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  checkPayload,
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
const requests: { at: number; status: number }[] = [];
const remembered = new Map<string, { hash: string; reply: StubReply }>();
let accepted = 0;
let sequence = 0;

const server = createServer((req, res) => void handle(req, res));

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = performance.now();
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const path = new URL(req.url ?? '/', 'http://stub').pathname;
  if (req.method === 'GET' && path === '/__stub/requests')
    return send(res, jsonReply(200, { data: requests }));
  if (req.method === 'GET' && path === '/__stub/count')
    return send(res, jsonReply(200, { emails: accepted }));
  if (req.method !== 'POST' || (path !== '/emails' && path !== '/emails/batch')) {
    return send(res, errorReply(404, 'not_found', MESSAGES.not_found));
  }
  const log = { at, status: 0 };
  requests.push(log);
  const reply = await api(req, path, body);
  log.status = reply.status;
  send(res, reply);
}

async function api(req: IncomingMessage, path: string, body: Buffer): Promise<StubReply> {
  if (req.headers.authorization !== `Bearer ${apiKey}`)
    return errorReply(403, 'invalid_api_key', MESSAGES.invalid_api_key);
  const limit = window.take(performance.now());
  if (!limit.admitted)
    return errorReply(429, 'rate_limit_exceeded', MESSAGES.rate_limit_exceeded, limit.headers);
  const key = req.headers['idempotency-key'];
  const hash = createHash('sha256').update(body).digest('hex');
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
  const batch = path === '/emails/batch';
  const permissive = req.headers['x-batch-validation'] === 'permissive';
  const checked = checkPayload(body, batch, permissive);
  if ('status' in checked) return checked;
  accepted += checked.valid.length;
  const data = checked.valid.map(() => ({ id: `bench-${++sequence}` }));
  const reply = !batch
    ? jsonReply(200, data[0])
    : jsonReply(200, permissive ? { data, errors: checked.errors } : { data });
  if (typeof key === 'string') remembered.set(key, { hash, reply });
  return { ...reply, headers: { ...reply.headers, ...limit.headers } };
}

function send(res: ServerResponse, reply: StubReply): void {
  res.writeHead(reply.status, reply.headers).end(reply.body);
}

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`RESEND_STUB_URL=http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
