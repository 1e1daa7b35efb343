import { describeShares, shares, type Category, type CpuProfile } from './profile.ts';

/** What one send gave. */
export interface SendRun {
  recipients: number;
  provider: 'stub' | 'counter';
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  heapTotalMb: number;
  externalMb: number;
  requests: number;
  rejected429: number;
  perSecond: number;
  maxInWindow: number;
  /** Median time from a request to the one a window's worth of requests later. */
  cycleMs: number;
}

const CATEGORIES: Category[] = [
  { name: 'garbage collection', match: /\(garbage collector\)/ },
  { name: 'SQLite ledger', match: /better-sqlite3|\/src\/audience\/|ledger/ },
  { name: 'module loading (start-up)', match: /^node:internal\/modules/ },
  {
    name: 'HTTP (fetch, body stream, socket writes)',
    match: /node_modules\/resend|undici|^node:internal\/(encoding|webstreams|stream)|^writeBuffer|^writev/,
  },
  { name: 'hashing (ledger hashes, token HMACs)', match: /^node:internal\/crypto/ },
  {
    name: 'building and checking the issue once',
    match:
      /node_modules\/(micromark|mdast|hast|unist|mjml|juice|cssnano|postcss|html-validate|parse5|cheerio|css-|csso|svgo|lodash|js-beautify)|\/src\/(parse|render|check|build|assemble)\//,
  },
  {
    name: 'composing emails and batch bodies (src/send, tokens)',
    match: /\/src\/(send|render\/personalise|tokens)/,
  },
];

/** Peak memory of a process that only built and checked the issue, as the send's build child does (bench/send-child.ts). */
export interface Baseline {
  maxRssMb: number;
  heapTotalMb: number;
}

/**
 * The report's paragraphs on what bounds the send's rate and memory, for the targets missed:
 * the CPU budget per recipient against what the sender spends and the profile of `profiled`;
 * the peak memory against what the child that builds the issue holds.
 */
export function sendBounds(
  runs: readonly SendRun[],
  baseline: Baseline,
  profiled: { run: SendRun; profile: CpuProfile },
  kbPerEmail: number,
  limit: number,
): string[] {
  // At `limit` requests/s of 100 recipients, one core may spend this long per recipient.
  const budgetUs = 1_000_000 / (limit * 100);
  const [first, last] = [runs.at(-2)!, runs.at(-1)!];
  const marginalUs = ((last.cpuMs - first.cpuMs) * 1000) / (last.recipients - first.recipients);
  const count = (n: number) => n.toLocaleString('en-US');
  const paragraphs: string[] = [];
  const slow = runs.filter((run) => run.provider === 'counter' && run.perSecond < limit * 0.95);
  if (slow.length > 0) {
    const cycle = 1000 + 30 + 2; // window + transit allowance + margin: see src/send/transports/rate.ts
    paragraphs.push(
      `**Rate: the pacer's safety allowance and the ledger write before each request.** ${slow.map((run) => `${count(run.recipients)} recipients: ${((run.perSecond / limit) * 100).toFixed(1)}% of the limit, ${run.rejected429} answers 429, ${limit} consecutive requests spanning a median ${run.cycleMs.toFixed(0)} ms`).join('; ')}. The pacer lets ${limit} requests start per ${cycle} ms at most — the window, plus 30 ms for a request to reach the provider after its head goes out, plus a 2 ms margin — which is ${((1000 / cycle) * 100).toFixed(1)}% of the limit; a window is counted from when a request actually went out; a chunk's turn comes early by the shortest recent time of its ledger write (a synchronous SQLite transaction, so that a chunk is marked started only once it is about to go), so what adds to the span is the rest: that write's variation, the request's set-up in fetch, and timers firing late (bench/pace-trace.ts shows each). The first window (60 ms allowance, two requests until the first answer tells the limit) costs about a percent at ${count(first.recipients)}. The sender is not CPU-bound: ≈ ${marginalUs.toFixed(0)} µs per additional recipient (between the ${count(first.recipients)} and ${count(last.recipients)} runs) against a budget of ${budgetUs.toFixed(0)} µs; ${((last.cpuMs / last.wallMs) * 100).toFixed(0)}% of a core at ${count(last.recipients)}. A smaller allowance would gain a percent or two and cost a 429 (a second's pause) whenever a loaded machine delays a request by more than it. A profile of a ${count(profiled.run.recipients)}-recipient send (this run, one process): ${describeShares(shares(profiled.profile, CATEGORIES), 8)}.`,
    );
  }
  if (last.maxRssMb >= 200) {
    paragraphs.push(
      `**Memory: the sender's own modules, then the garbage of delivery.** Peak RSS ${last.maxRssMb.toFixed(0)} MB at ${count(last.recipients)} recipients (V8 heap up to ${last.heapTotalMb.toFixed(0)} MB) and ${first.maxRssMb.toFixed(0)} MB at ${count(first.recipients)} (heap up to ${first.heapTotalMb.toFixed(0)} MB). The issue is not built in the sending process: as \`nyhetsbrev send\` does (\`isolateBuild\`), a child process builds and checks it and hands back only the email's subject, preheader, HTML and text, the issue's status and its formatted messages; the same work alone peaks at ${baseline.maxRssMb.toFixed(0)} MB (V8 heap up to ${baseline.heapTotalMb.toFixed(0)} MB) in that child, which has exited before the audience is read, so MJML, juice, cheerio, cssnano, the unified/micromark stack and Handlebars never load in the sender. The audience is counted per list and copied into the ledger by SQLite (\`INSERT … SELECT\`), with no JavaScript object per recipient. What the sender holds is Node (the child runs the compiled lib/, as the CLI does), the config, SQLite and transport modules, and, while delivering, only the requests on the wire — each batch body streams the campaign's ~${kbPerEmail.toFixed(0)} KB of shared HTML and text from buffers encoded once. What grows with the number of recipients is the heap between major collections: a chunk's composed emails and request objects live across its wait for the pacer, so they are promoted to the old generation and freed only by a major collection, and the longer send gives V8 more occasions to raise the old generation's limit.`,
    );
  }
  return paragraphs;
}
