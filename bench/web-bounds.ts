import { compileJob } from '../src/load/jobs.ts';
import type { Config } from '../src/config/schema.ts';
import { issueFolders } from '../src/read/index.ts';
import { scanIssue } from '../src/read/scan.ts';
import { describeShares, profile, shares, type Category, type Share } from './profile.ts';
import { duration, measure, times, type Sample } from './stats.ts';

/** The medians of the web benchmark. */
export interface WebMedians {
  cold: Sample;
  /** Cold without the search index (`search.enabled: false`): the web archive alone. */
  webOnly: Sample;
  serial: Sample;
  warm: Sample;
  /** A build with nothing changed since the one before (into its folder, cache filled). */
  unchanged: Sample;
  /** The search index from scratch: Pagefind over every shard. */
  search: Sample;
  /** The search index with every shard from the cache. */
  searchCached: Sample;
  /** Pagefind over the newest year's shard alone (what a warm build indexes again). */
  searchNewest: Sample;
  /** Search shards of the archive, and how many a warm build indexed again (median). */
  shards: { count: number; rebuilt: number };
  /** Pages in the newest year's shard. */
  newestPages: number;
  /** `compileArchive` with every issue in the cache: the warm build's first step alone. */
  compileCached: Sample;
  hugo: Sample | undefined;
  hugoSearch: Sample | undefined;
}

/** Where compiling spends its CPU, from a profile of this run. */
export interface CompileEvidence {
  shares: Share[];
  cpuMs: number;
  files: number;
}

const TOKENIZER = 'Markdown tokenizer (micromark, mdast-util-from-markdown)';
const PROFILED = 60;
const CATEGORIES: Category[] = [
  {
    name: TOKENIZER,
    match:
      /node_modules\/(micromark|mdast-util-from-markdown|mdast-util-gfm|decode-named-character-reference)/,
  },
  {
    name: 'tree walks (unist-util-visit, our plugins and GFM autolinks)',
    match: /node_modules\/unist-util-/,
  },
  {
    name: 'mdast → hast → HTML',
    match:
      /node_modules\/(mdast-util-to-hast|hast-util-|property-information|stringify-entities|html-void-elements|zwitch|comma-separated|space-separated)/,
  },
  { name: 'garbage collection', match: /\(garbage collector\)/ },
  { name: 'front matter (yaml, zod)', match: /node_modules\/(yaml|zod)\// },
  { name: 'fast Markdown path (src/parse/fast-*)', match: /\/src\/parse\/fast-/ },
  { name: 'our code (src/)', match: /\/src\// },
];

/** Profiles compiling issues on this thread (read → parse → page and feed HTML), JIT warmed up. */
export async function compileProfile(dir: string, config: Config): Promise<CompileEvidence> {
  const folders = (await issueFolders(dir)).slice(0, PROFILED + 20);
  const jobs = folders.map((folder) => ({ ...scanIssue(folder)!, feed: false }));
  for (const job of jobs.slice(0, 20)) compileJob(job, config);
  const profiled = jobs.slice(20);
  let cpuMs = 0;
  const result = await profile(async () => {
    cpuMs = (await measure(() => profiled.forEach((job) => compileJob(job, config)))).cpuMs;
  });
  return {
    shares: shares(result, CATEGORIES),
    cpuMs,
    files: profiled.reduce((sum, job) => sum + job.paths.length, 0),
  };
}

/** The report's paragraphs on what bounds the cold and warm ratios (none without Hugo). */
export function webBounds(
  ours: WebMedians,
  evidence: CompileEvidence,
  run: { count: number; load: number },
): string[] {
  const { hugo, hugoSearch } = ours;
  if (!hugo || !hugoSearch) return [];
  const tokenizer = evidence.shares.find((share) => share.name === TOKENIZER)?.percent ?? 0;
  const speedUp = ours.serial.wallMs / ours.cold.wallMs;
  const cores =
    speedUp >= 1.15
      ? `worker threads parse while the main thread does too: ${times(speedUp)} faster than one thread in this run`
      : `worker threads parse while the main thread does too — though in this run they gained only ${times(speedUp)} over one thread: with a load average of ${run.load.toFixed(1)} on 2 cores from other work, a second thread mostly competes with it, and the worker's start-up (≈ 2 s of CPU to load the parser through tsx) and JIT warm-up are not repaid`;
  const paragraphs: string[] = [];
  if (ours.webOnly.wallMs / hugo.wallMs > 4) {
    paragraphs.push(
      `**Cold, web only (${times(ours.webOnly.wallMs / hugo.wallMs)} Hugo): CPU.** Our cold build (with its search index) used ${duration(ours.cold.cpuMs)} of CPU for ${run.count * 11} Markdown files; Hugo used ${duration(hugo.cpuMs)} for the whole site (${times(ours.cold.cpuMs / hugo.cpuMs)}). A profile of compiling ${PROFILED} issues on one thread (read → parse → page and feed HTML, JIT warm, this run) spends ${(evidence.cpuMs / evidence.files).toFixed(2)} ms of CPU per Markdown file: ${describeShares(evidence.shares)}. Plain Markdown takes the fast path (src/parse/fast-markdown.ts), which gives micromark's tree at a fraction of its cost; files with tables, bare URLs or anything else it does not read go through micromark (the tokenizer's share above, ≈ ${times((ours.cold.cpuMs * tokenizer) / 100 / hugo.cpuMs)} Hugo's CPU). The rest is turning trees into HTML, the page templates and writing, on the main thread and one worker, while Hugo's goldmark is compiled Go on all cores. Done here: ${cores}; Intl date formatters made once (≈ 1 ms each, two per issue); the archive sorted once per build instead of once per issue; one tree copy per HTML fragment instead of two; teaser excerpts cut without splitting the whole text; Pagefind fed without a round trip per page, while the other files are written.`,
    );
  }
  if (ours.warm.wallMs / hugo.wallMs > 0.5) {
    paragraphs.push(
      `**Warm (${times(ours.warm.wallMs / hugo.wallMs)} Hugo): reading every issue to check its key, and Pagefind over the newest year.** A warm build renders only the pages whose inputs changed (the edited issue's; the others are checked against the output folder by content hash and left alone), writes only files whose bytes changed, and indexes only the search shard of the edited issue (${ours.shards.rebuilt} of ${ours.shards.count}). What remains: ${duration(ours.compileCached.wallMs)} to take the ${run.count} compiled issues from the cache — every Markdown file read and hashed to check its key, ${run.count * 11} small files — plus parsing the edited issue; a build with nothing changed takes ${duration(ours.unchanged.wallMs)} in all. Pagefind over the newest year's ${ours.newestPages} pages takes ${duration(ours.searchNewest.wallMs)} with its start-up; it starts once the edited issue is compiled, in its own process, and the build waits for it at the end. Hugo builds no search index; Pagefind's own CLI over Hugo's output took ${duration(hugoSearch.wallMs)}.`,
    );
  }
  return paragraphs;
}
