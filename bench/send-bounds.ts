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
}

const CATEGORIES: Category[] = [
  {
    name: 'canonical JSON of every email for the ledger hash (payloadSha256)',
    match: /compose\.ts (payloadSha256|sortKeys)$/,
  },
  { name: 'hashing (payload SHA-256, token HMACs)', match: /^node:internal\/crypto/ },
  {
    name: 'request body (Resend SDK JSON.stringify, undici USV check and UTF-8 encoding)',
    match: /node_modules\/resend|undici|^node:internal\/(encoding|webstreams)/,
  },
  { name: 'garbage collection', match: /\(garbage collector\)/ },
  { name: 'SQLite ledger', match: /better-sqlite3|\/src\/audience\/|ledger/ },
  { name: 'module loading (start-up)', match: /^node:internal\/modules/ },
  {
    name: 'building and checking the issue once',
    match:
      /node_modules\/(micromark|mdast|hast|unist|mjml|juice|cssnano|postcss|html-validate|parse5|cheerio|css-|csso|svgo|lodash|js-beautify)|\/src\/(parse|render|check|build|assemble)\//,
  },
  {
    name: 'composing emails (src/send, personalise, tokens)',
    match: /\/src\/(send|render\/personalise|tokens)/,
  },
];

/**
 * The report's paragraphs on what bounds the send's rate and memory: the CPU budget per
 * recipient against what the sender spends, the profile of `profiled`, and the fix.
 */
export function sendBounds(
  runs: readonly SendRun[],
  profiled: { run: SendRun; profile: CpuProfile },
  kbPerEmail: number,
  limit: number,
): string[] {
  // At `limit` requests/s of 100 recipients, one core may spend this long per recipient.
  const budgetUs = 1_000_000 / (limit * 100);
  const [first, last] = [runs.at(-2)!, runs.at(-1)!];
  const marginalUs = ((last.cpuMs - first.cpuMs) * 1000) / (last.recipients - first.recipients);
  const count = (n: number) => n.toLocaleString('en-US');
  return [
    `**Rate: the sender is CPU-bound.** At ${limit} requests/s of 100 recipients it has ${budgetUs.toFixed(0)} µs of one core per recipient (the send loop is one thread). It spends ≈ ${marginalUs.toFixed(0)} µs per additional recipient (between the ${count(first.recipients)} and ${count(last.recipients)} runs), so even with a whole core to itself it could feed ≈ ${((budgetUs / marginalUs) * limit).toFixed(1)} requests/s; in this run it got ${((last.cpuMs / last.wallMs) * 100).toFixed(0)}% of a core (CPU ÷ wall at ${count(last.recipients)}) on a machine shared with other work. No 429 came back: the pacer never had to wait for the provider. A profile of a ${count(profiled.run.recipients)}-recipient send (this run, one process): ${describeShares(shares(profiled.profile, CATEGORIES), 8)}. Each recipient's email is the whole ~${kbPerEmail.toFixed(0)} KB of HTML + text, serialised three times (JSON for \`payloadSha256\`, the SDK's \`JSON.stringify\`, undici's USV scan and UTF-8 encoding), hashed, and garbage-collected.`,
    `**Memory.** Peak RSS ${last.maxRssMb.toFixed(0)} MB at ${count(last.recipients)} (V8 heap up to ${last.heapTotalMb.toFixed(0)} MB, and about the same at ${count(first.recipients)}: it does not grow with the audience, it is the working set of the send loop): four lanes each hold a composed chunk (100 × ~${kbPerEmail.toFixed(0)} KB strings, twice that while JSON-encoding) through the pacer's wait, and the heap grows to absorb the garbage of ~${((3 * kbPerEmail * 100 * limit) / 1024).toFixed(0)} MB/s of serialisation at full pace.`,
    `**The fix, in src/send (the send stage's owner's files; described here for them).** Personalise at the JSON level: the campaign's HTML and text are the same for every recipient but for a few tokens, so JSON-encode them once, split at the tokens, and build each batch body by concatenating the pre-encoded parts with the escaped per-recipient values (unsubscribe URL, address) — no per-recipient \`personalise\`, \`JSON.stringify\` or USV scan of ${kbPerEmail.toFixed(0)} KB. Send that body as a Buffer with \`fetch\` (the SDK takes objects only). Hash a chunk as SHA-256 of (the content hash + each recipient's fields and headers), which identifies the same bytes, instead of re-serialising every email. Compose a chunk only once the pacer admits it, so only the chunks in flight exist. That removes most of the per-recipient CPU in this profile and bounds memory by \`concurrency × one request body\`.`,
  ];
}
