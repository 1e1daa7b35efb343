import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importCsv, loadLists, openStore } from '../src/audience/index.ts';
import { spawnResendStub } from '../test/support/resend-stub-process.ts';
import { readLargestProfile } from './profile.ts';
import { figure, target, type BenchResult, type Figure, type Target } from './result.ts';
import { buildIssue, loadArchive } from '../src/pipeline.ts';
import { benchConfig, corpus, ROOT, scratch } from './setup.ts';
import { compiledChild } from './compiled-child.ts';
import { runChild, spawnCounter, type ProviderLog } from './processes.ts';
import { sendBounds, type SendRun } from './send-bounds.ts';
import { duration, median } from './stats.ts';

const LIMIT = 10; // requests per second: a raised Resend limit (a team's default is 2)

/**
 * Benchmark 4: `sendIssue` (what `nyhetsbrev send` runs) of a 10-section issue to 10,000 and
 * 100,000 subscribers through the Resend transport, against a provider admitting 10 requests/s
 * (chunks of 100 recipients: 100 and 1,000 requests). Each send runs in a process of its own.
 */
export async function benchSend({ quick }: { quick: boolean }): Promise<BenchResult> {
  const { dir: issuesDir, ids } = corpus('send-issues', 3);
  const small = quick ? 2_000 : 10_000;
  const large = quick ? 10_000 : 100_000;
  const runs: SendRun[] = [];
  runs.push(await sendOnce(small, 'stub', issuesDir, ids.at(-1)!));
  runs.push(await sendOnce(small, 'counter', issuesDir, ids.at(-1)!));
  runs.push(await sendOnce(large, 'counter', issuesDir, ids.at(-1)!));
  const figures: Figure[] = [];
  const targets: Target[] = [];
  for (const run of runs) {
    const label = `${run.recipients.toLocaleString('en-US')} recipients (${run.provider === 'stub' ? 'test stub' : 'counting stub'})`;
    figures.push(
      figure(`${label}: wall`, run.wallMs, 'ms', duration(run.wallMs)),
      figure(
        `${label}: requests/s (first to last request)`,
        run.perSecond,
        'req/s',
        `${run.perSecond.toFixed(2)} (${((run.perSecond / LIMIT) * 100).toFixed(1)}% of ${LIMIT})`,
      ),
      figure(`${label}: most requests in any 1 s window`, run.maxInWindow, 'req', String(run.maxInWindow)),
      figure(
        `${label}: ${LIMIT} consecutive requests, median span`,
        run.cycleMs,
        'ms',
        `${run.cycleMs.toFixed(0)} ms`,
      ),
      figure(`${label}: 429 answers`, run.rejected429, 'req', String(run.rejected429)),
      figure(
        `${label}: sender CPU per recipient`,
        (run.cpuMs * 1000) / run.recipients,
        'µs',
        `${((run.cpuMs * 1000) / run.recipients).toFixed(0)} µs (${duration(run.cpuMs)} in all)`,
      ),
      figure(
        `${label}: sender peak RSS`,
        run.maxRssMb,
        'MB',
        `${run.maxRssMb.toFixed(0)} MB (V8 heap up to ${run.heapTotalMb.toFixed(0)} MB, buffers ${run.externalMb.toFixed(0)} MB)`,
      ),
    );
    // The test stub parses and keeps every batch on the thread that notices arrivals, so at this
    // volume it counts requests late (see the method); its run is shown, not held to the target.
    if (run.provider === 'counter')
      targets.push(
        target(`${label}: achieved rate of the limit`, (run.perSecond / LIMIT) * 100, '%', '≥', 95),
      );
  }
  const baseline = await prepareOnly(issuesDir, ids.at(-1)!);
  figures.push(
    figure(
      "building and checking the issue (what the send's child process does, in a process of its own): peak RSS",
      baseline.maxRssMb,
      'MB',
      `${baseline.maxRssMb.toFixed(0)} MB (V8 heap up to ${baseline.heapTotalMb.toFixed(0)} MB)`,
    ),
  );
  const largest = runs.at(-1)!;
  targets.push(
    target(
      `${largest.recipients.toLocaleString('en-US')} recipients: sender peak RSS`,
      largest.maxRssMb,
      'MB',
      '<',
      200,
    ),
  );
  const bounds = targets.some((t) => t.met === false)
    ? await explain(runs, baseline, issuesDir, ids.at(-1)!)
    : [];
  return {
    id: 'send',
    title: `Send to ${small.toLocaleString('en-US')} and ${large.toLocaleString('en-US')} recipients at ${LIMIT} requests/s`,
    method: `Subscribers imported into a fresh SQLite database, then \`sendIssue\` (Resend transport, default concurrency) in a child process of its own, which — as \`nyhetsbrev send\` does — has the issue built and checked by a short-lived child process in turn, against a provider process on loopback admitting ${LIMIT} requests/s (sliding 1 s window) with 50 ms latency. "test stub" is test/support/resend-stub.ts; "counting stub" is bench/resend-counter.ts, which applies the same window, headers and idempotency rules but keeps no emails (the test stub keeps every accepted email, ~70 KB, in memory: 7 GB at 100,000); it validates every email of one request in ten as the test stub does and parses the others only for their structure (the UTF-8 decoding the full check needs takes ~25 ms of the two shared cores per request), and it starts its checker before it takes requests, as a provider already serving others would have. Both run at ${small.toLocaleString('en-US')}; the test stub parses and keeps each ~7 MB batch on the thread that notices arrivals, so at 10 requests/s it counts some requests tens of milliseconds late, answers 429 and the sender slows down — it is shown, and only the counting stub, which validates in a worker thread, is held to the rate target. Rate = (accepted requests − 1) ÷ seconds from the first to the last (a request refused with 429 is not counted); CPU and peak RSS are the sender process's only (not the build child's, shown separately); the child runs bench/send-child.ts compiled against lib/, the compiled CLI's modules, as \`nyhetsbrev send\` runs (no tsx); peak RSS includes node's start-up.`,
    figures,
    targets,
    notes: [],
    bounds,
  };
}

// Profiles one more, small send and builds the issue to know an email's size, for the bounds.
async function explain(
  runs: readonly SendRun[],
  baseline: ChildResult,
  issuesDir: string,
  id: string,
): Promise<string[]> {
  const config = benchConfig();
  const { email } = await buildIssue(await loadArchive(issuesDir, config), id, config);
  const kbPerEmail = (Buffer.byteLength(email.html) + Buffer.byteLength(email.text)) / 1024;
  const dir = scratch('send-profile');
  const profiled = await sendOnce(2_000, 'counter', issuesDir, id, { profileDir: dir });
  return sendBounds(runs, baseline, { run: profiled, profile: readLargestProfile(dir) }, kbPerEmail, LIMIT);
}

/** What a send child prints (see bench/send-child.ts). */
type ChildResult = Pick<SendRun, 'wallMs' | 'cpuMs' | 'maxRssMb' | 'heapTotalMb' | 'externalMb'> & {
  result: { outcome: string };
};

/** The memory of building and checking the issue alone: what the send's build child holds. */
async function prepareOnly(issuesDir: string, id: string): Promise<ChildResult> {
  const dir = scratch('send-prepare');
  const config = join(dir, 'nyhetsbrev.yml');
  writeFileSync(config, sendConfig('http://127.0.0.1:9'));
  return JSON.parse(
    await runChild([await compiledChild('send-child.ts'), config, issuesDir, id, '--prepare-only']),
  ) as ChildResult;
}

function sendConfig(providerUrl: string): string {
  return [
    'organisation: Myndighetsnätverket',
    'newsletter: Nyhetsbrev från Myndighetsnätverket',
    'baseUrl: https://natverket.example.org/nyhetsbrev/',
    'sender: { from: "Nätverket <nyhetsbrev@natverket.example.org>" }',
    'footer: Du får det här nyhetsbrevet eftersom du är medlem i ett forum.',
    'database: bench.db',
    'lists: lists.yml',
    `transport: { default: resend, resend: { baseUrl: "${providerUrl}" } }`,
    '',
  ].join('\n');
}

/**
 * One send of issue `id` to `recipients` fresh subscribers in a child process, against the test
 * stub or the counting stub. `profileDir` takes a CPU profile of the child; `traceFile` has it
 * write every paced request there (see bench/pace-trace.ts).
 */
export async function sendOnce(
  recipients: number,
  provider: SendRun['provider'],
  issuesDir: string,
  id: string,
  { profileDir, traceFile }: { profileDir?: string; traceFile?: string } = {},
): Promise<SendRun & { log: ProviderLog }> {
  const dir = scratch(`send-${provider}-${recipients}`);
  copyFileSync(join(ROOT, 'subscribers/lists.yml'), join(dir, 'lists.yml'));
  const store = openStore(join(dir, 'bench.db'), { env: {} });
  const rows = Array.from({ length: recipients }, (_, i) => `mottagare${i}@myndighet${i % 97}.example.se`);
  importCsv(
    store,
    loadLists(join(dir, 'lists.yml')),
    { bytes: Buffer.from(`email\n${rows.join('\n')}\n`), file: 'bench.csv' },
    { list: 'nyhetsbrev' },
  );
  store.close();
  const stub =
    provider === 'stub'
      ? await spawnResendStub(['--rate-limit', String(LIMIT), '--latency-ms', '50']).then((test) => ({
          ...test,
          log: async (): Promise<ProviderLog> => ({
            requests: await test.requests(),
          }),
        }))
      : await spawnCounter(LIMIT);
  try {
    const config = join(dir, 'nyhetsbrev.yml');
    writeFileSync(config, sendConfig(stub.url));
    const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const child = await runChild(
      [...flags, await compiledChild('send-child.ts'), config, issuesDir, id],
      traceFile ? { NYHETSBREV_PACE_TRACE: traceFile } : {},
    );
    const result = JSON.parse(child) as ChildResult;
    if (result.result.outcome !== 'complete') throw new Error(`send ended ${result.result.outcome}`);
    const log = await stub.log();
    const requests = log.requests;
    const times = requests
      .filter((request) => request.status !== 429)
      .map((request) => request.at)
      .sort((a, b) => a - b);
    const seconds = (times.at(-1)! - times[0]!) / 1000;
    return {
      recipients,
      provider,
      wallMs: result.wallMs,
      cpuMs: result.cpuMs,
      maxRssMb: result.maxRssMb,
      heapTotalMb: result.heapTotalMb,
      externalMb: result.externalMb,
      requests: requests.length,
      rejected429: requests.filter((request) => request.status === 429).length,
      perSecond: (times.length - 1) / seconds,
      maxInWindow: maxInWindow(times, 1000),
      cycleMs: medianSpan(times, LIMIT),
      log,
    };
  } finally {
    await stub.stop();
  }
}

/** The median time from a request to the `n`-th after it: one window's worth of requests. */
function medianSpan(sorted: readonly number[], n: number): number {
  const spans = sorted.slice(n).map((at, i) => at - sorted[i]!);
  return median(spans);
}

function maxInWindow(sorted: readonly number[], windowMs: number): number {
  let most = 0;
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
