/**
 * Benchmark: how close a real send (`sendIssue`, the code `nyhetsbrev send` runs) gets to the
 * provider's rate limit, against the Resend stub on loopback. The issue's bar: ≥ 95% of the limit,
 * never above it. Run: `node bin/run-ts.js bench/send-pace.ts [--limit 10] [--recipients 12000]`.
 * Prints one line and writes bench/out/send-pace.json. Never part of `npm test`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importCsv, loadLists, openStore } from '../src/audience/index.ts';
import { loadConfig } from '../src/config/load.ts';
import { sendIssue } from '../src/send/index.ts';
import { spawnResendStub } from '../test/support/resend-stub-process.ts';

const ROOT = resolve(import.meta.dirname, '..');

/** Result of one pace run. */
export interface PaceResult {
  limit: number;
  recipients: number;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Requests per second over the limit, in percent (steady state: first to last request). */
  ofLimit: number;
  /** The most requests the stub saw in any 1 s window (must not exceed `limit`). */
  maxInWindow: number;
  rejected429: number;
}

/** Sends `recipients` emails (chunks of 100) through a stub admitting `limit` requests per second. */
export async function benchSendPace(limit = 10, recipients = 12_000): Promise<PaceResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nyhetsbrev-bench-'));
  // Out of process, as the provider is: the stub's JSON parsing must not share the sender's CPU.
  const stub = await spawnResendStub(['--rate-limit', String(limit), '--latency-ms', '30']);
  try {
    writeFileSync(join(dir, 'lists.yml'), readFileSync(join(ROOT, 'subscribers/lists.yml')));
    const file = join(dir, 'nyhetsbrev.yml');
    writeFileSync(
      file,
      [
        'organisation: Bench',
        'newsletter: Bench',
        'baseUrl: https://bench.example.org/',
        'sender: { from: bench@example.org }',
        'footer: Bench.',
        'database: bench.db',
        'lists: lists.yml',
        `transport: { default: resend, resend: { baseUrl: "${stub.url}" } }`,
      ].join('\n'),
    );
    const store = openStore(join(dir, 'bench.db'), { env: {} });
    const rows = Array.from({ length: recipients }, (_, i) => `p${i}@example.org`);
    importCsv(
      store,
      loadLists(join(dir, 'lists.yml')),
      { bytes: Buffer.from(`email\n${rows.join('\n')}\n`), file: 'b.csv' },
      { list: 'arkiv' },
    );
    store.close();
    await sendIssue(loadConfig(file, { explicit: true }), {
      issueId: '2025-01',
      issuesDir: join(ROOT, 'test/send/fixtures/archive'),
      yes: true,
      env: { RESEND_API_KEY: 're_test_stub', NYHETSBREV_SECRET: 'bench-secret-0123456789-abcdefghijklmnop' },
      out: () => {},
      err: () => {},
      ...(process.env.BENCH_CONCURRENCY ? { concurrency: Number(process.env.BENCH_CONCURRENCY) } : {}),
    });
    const requests = await stub.requests();
    const times = requests.map((r) => r.at);
    const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
    const requestsPerSecond = (times.length - 1) / seconds;
    return {
      limit,
      recipients,
      requests: times.length,
      seconds: Number(seconds.toFixed(2)),
      requestsPerSecond: Number(requestsPerSecond.toFixed(2)),
      ofLimit: Number(((requestsPerSecond / limit) * 100).toFixed(1)),
      maxInWindow: maxInAnyWindow(times, 1000),
      rejected429: requests.filter((r) => r.status === 429).length,
    };
  } finally {
    await stub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function maxInAnyWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { values } = parseArgs({ options: { limit: { type: 'string' }, recipients: { type: 'string' } } });
  const result = await benchSendPace(Number(values.limit ?? 10), Number(values.recipients ?? 12_000));
  console.log(
    `send pace: ${result.requestsPerSecond} requests/s of a limit of ${result.limit} (${result.ofLimit}%), at most ${result.maxInWindow} in any 1 s window, ${result.rejected429} rejected (429), ${result.requests} requests in ${result.seconds} s`,
  );
  mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/out/send-pace.json'), `${JSON.stringify(result, null, 2)}\n`);
}
