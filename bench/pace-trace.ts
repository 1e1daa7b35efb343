/**
 * Where a send's pace goes, request by request: `node bin/run-ts.js bench/pace-trace.ts
 * [RECIPIENTS=10000] [--list]`. One send against the counting stub (as `npm run bench` does),
 * with the sender publishing every paced request (the `nyhetsbrev:paced` diagnostics channel);
 * prints, as quantiles (min 10 % 50 % 90 % 99 % max):
 *
 * - turn → head: from the pacer's go to the request's head on the wire (ledger write, set-up);
 * - head → arrival: until the provider noticed it — what the transit allowance must cover;
 * - span of 10: from a request to the tenth after it, at heads and at arrivals (the limit is 10
 *   per 1,000 ms, so the pacer's floor is 1,000 + allowance + margin);
 * - head past its window: how long after the window the pacer counts for the request ten
 *   before it (from that one's head + allowance, or its answer if sooner) a head went out —
 *   never below 0 unless the pacer let a request go early;
 * - gaps between turns;
 *
 * and with `--list` every request: turn (ms from the first), turn → head, head → arrival, gap,
 * round trip. Not part of `npm run bench`; for finding what to change next.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PacedRequest } from '../src/send/transports/rate.ts';
import { sendOnce } from './send.ts';
import { corpus, scratch } from './setup.ts';

const recipients = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 10_000);
const { dir: issuesDir, ids } = corpus('send-issues', 3);
const traceFile = join(scratch('pace-trace'), 'paced.json');
const run = await sendOnce(recipients, 'counter', issuesDir, ids.at(-1)!, { traceFile });

// Requests whose head never went out (none on loopback, unless a send failed) are left out.
const paced = (JSON.parse(readFileSync(traceFile, 'utf8')) as PacedRequest[])
  .filter((r) => r.start !== undefined)
  .map((r) => ({
    turn: r.origin + r.admitted,
    head: r.origin + r.start!,
    end: r.origin + r.end,
    transitMs: r.transitMs,
  }))
  .sort((a, b) => a.turn - b.turn);
const arrivals = run.log.requests
  .map((r) => ({ at: run.log.origin! + r.at, status: r.status }))
  .sort((a, b) => a.at - b.at);

const quantiles = (values: number[]) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return [0, 0.1, 0.5, 0.9, 0.99, 1]
    .map((q) => sorted[Math.floor(q * (sorted.length - 1))]?.toFixed(1) ?? '-')
    .join('  ');
};
const spans = (times: number[]) => times.slice(10).map((time, i) => time - times[i]!);
const byHead = [...paced].sort((a, b) => a.head - b.head);
const heads = byHead.map((r) => r.head);
const pastWindow = byHead
  .slice(10)
  .map((r, i) => r.head - (Math.min(byHead[i]!.end, byHead[i]!.head + byHead[i]!.transitMs) + 1000));

console.log(
  `${recipients} recipients: ${arrivals.length} requests, ${arrivals.filter((a) => a.status === 429).length} × 429, ` +
    `${(run.perSecond * 10).toFixed(1)} % of 10/s (first to last arrival)`,
);
console.log('quantiles            min  10%  50%  90%  99%  max (ms)');
console.log('turn → head        ', quantiles(paced.map((r) => r.head - r.turn)));
// Requests arrive in the order their heads went out (one connection each, no reordering on loopback).
console.log('head → arrival     ', quantiles(arrivals.map((a, i) => a.at - heads[i]!)));
console.log('span of 10, heads  ', quantiles(spans(heads)));
console.log('span of 10, arrival', quantiles(spans(arrivals.map((a) => a.at))));
console.log('head past window   ', quantiles(pastWindow));
console.log('gap between turns  ', quantiles(paced.slice(1).map((r, i) => r.turn - paced[i]!.turn)));
if (process.argv.includes('--list')) {
  for (const [i, r] of paced.entries()) {
    const fields = [
      `${i}: ${(r.turn - paced[0]!.turn).toFixed(0)}`,
      `turn→head ${(r.head - r.turn).toFixed(0)}`,
      `head→arrival ${((arrivals[i]?.at ?? Number.NaN) - heads[i]!).toFixed(0)}`,
      `gap ${i > 0 ? (r.turn - paced[i - 1]!.turn).toFixed(0) : '-'}`,
      `round trip ${(r.end - r.head).toFixed(0)}`,
    ];
    console.log(fields.join('  '));
  }
}
