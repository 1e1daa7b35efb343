/**
 * One send in a process of its own, so its peak memory is the send's: compiled against lib/ by
 * bench/compiled-child.ts and run as `node child.mjs CONFIG ISSUES ID [--prepare-only]` (or
 * `node bin/run-ts.js bench/send-child.ts …` from the sources). Prints one JSON line: wall and CPU
 * milliseconds of `sendIssue` (CPU of this process only: the provider stub and the child that
 * builds the issue run elsewhere), peak RSS and heap, outcome. Like `nyhetsbrev send`, it builds
 * and checks the issue in a child process (`isolateBuild`). With `--prepare-only` it does that
 * work in this process instead — what the build child does — for that child's memory.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/load.ts';
import { sendIssue } from '../src/send/index.ts';
import { loadIssueForSend } from '../src/send/issue.ts';
import { paced } from '../src/send/transports/rate.ts';
import { peakRssKb } from './peak-rss.mjs';

const [configFile, issuesDir, issueId, mode] = process.argv.slice(2) as [string, string, string, string?];
const config = loadConfig(configFile, { explicit: true });
// Where the memory is: the largest V8 heap and off-heap (Buffer) use seen, sampled every 100 ms.
const peak = { heapTotalMb: 0, heapUsedMb: 0, externalMb: 0 };
const sampler = setInterval(() => {
  const memory = process.memoryUsage();
  peak.heapTotalMb = Math.max(peak.heapTotalMb, memory.heapTotal / 2 ** 20);
  peak.heapUsedMb = Math.max(peak.heapUsedMb, memory.heapUsed / 2 ** 20);
  peak.externalMb = Math.max(peak.externalMb, memory.external / 2 ** 20);
}, 100);
// With NYHETSBREV_PACE_TRACE=FILE, every paced request goes to FILE (bench/pace-trace.ts).
const traceFile = process.env.NYHETSBREV_PACE_TRACE;
const traced: unknown[] = [];
if (traceFile) paced.subscribe((request) => traced.push(request));
const cpu = process.cpuUsage();
const start = performance.now();
const result =
  mode === '--prepare-only'
    ? { outcome: 'complete', errors: (await loadIssueForSend(config, issuesDir, issueId)).errors }
    : await send();
async function send() {
  return sendIssue(config, {
    issueId,
    issuesDir,
    yes: true,
    isolateBuild: true,
    env: { RESEND_API_KEY: 're_test_stub', NYHETSBREV_SECRET: 'bench-secret-0123456789-abcdefghijklmnop' },
    out: () => undefined,
    err: () => undefined,
  });
}
const wallMs = performance.now() - start;
const used = process.cpuUsage(cpu);
clearInterval(sampler);
if (traceFile) writeFileSync(traceFile, JSON.stringify(traced));
process.stdout.write(
  `${JSON.stringify({
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    maxRssMb: peakRssKb() / 1024,
    ...peak,
    result,
  })}\n`,
);
