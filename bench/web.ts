import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compileJob } from '../src/build/compile.ts';
import { buildSite, type BuildOptions } from '../src/build/index.ts';
import { writeSearchIndex } from '../src/build/search.ts';
import { Writer } from '../src/build/writer.ts';
import type { Config } from '../src/config/schema.ts';
import { issueFolders } from '../src/read/index.ts';
import { scanIssue } from '../src/read/scan.ts';
import { buildHugo, hugoVersion, pagefindHugo, writeHugoSite } from './hugo.ts';
import { describeShares, profile, shares, type Category, type Share } from './profile.ts';
import { figure, target, type BenchResult, type Figure } from './result.ts';
import { benchConfig, corpus, ROOT, scratch, SCRATCH } from './setup.ts';
import { duration, measure, median, medians, times, type Sample } from './stats.ts';

/**
 * Benchmark 2: the web archive (`buildSite` with `email: false`, as `publish` runs it: issue
 * pages, archive and year pages, feed, sitemap, Pagefind search index) of a synthetic archive,
 * cold (no cache, both cores) and warm (cache filled, one section changed), against Hugo building
 * the same content cold in the same run when it is installed.
 */
export async function benchWeb({ quick }: { quick: boolean }): Promise<BenchResult> {
  const count = quick ? 100 : 500;
  const config = benchConfig();
  const { dir, ids } = corpus(`web-corpus-${count}`, count);
  const out = join(SCRATCH, 'web-out');
  const cache = join(SCRATCH, 'web-cache');
  const options = (extra: Partial<BuildOptions>): BuildOptions => ({
    issuesDir: dir,
    outDir: out,
    ids: [],
    drafts: false,
    email: false,
    cache,
    ...extra,
  });
  const hugo = hugoVersion();
  const hugoSite = join(SCRATCH, 'hugo-site');
  if (hugo) writeHugoSite(dir, hugoSite);

  const coldRuns = quick ? 2 : 3;
  const cold: Sample[] = [];
  const hugoCold: Sample[] = [];
  const hugoSearch: Sample[] = [];
  for (let run = 0; run < coldRuns; run++) {
    rmSync(out, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
    cold.push(await measure(() => buildSite(config, options({}))));
    if (hugo) {
      hugoCold.push(buildHugo(hugoSite));
      hugoSearch.push(pagefindHugo(hugoSite, join(ROOT, 'node_modules/.bin/pagefind')));
    }
  }
  const written = (await buildSite(config, options({}))).written.length; // also leaves the cache filled

  // Warm: the newest issue's first section is edited before each build (new bytes every time).
  const section = join(dir, ids.at(-1)!, readSectionName(dir, ids.at(-1)!));
  const original = readFileSync(section, 'utf8');
  const warm: Sample[] = [];
  for (let run = 0; run < (quick ? 3 : 5); run++) {
    writeFileSync(section, `${original}\nÄndrad i körning ${run + 1}.\n`);
    warm.push(await measure(() => buildSite(config, options({}))));
  }
  writeFileSync(section, original);

  // What bounds the warm build: the search index alone, over the same pages.
  const pages = ids.map((id) => ({
    path: `${id}/index.html`,
    html: readFileSync(join(out, 'web', id, 'index.html'), 'utf8'),
  }));
  const search: Sample[] = [];
  for (let run = 0; run < 3; run++)
    search.push(
      await measure(() => writeSearchIndex(pages, config.locale, new Writer(scratch('web-search')))),
    );

  // Both cores: the same cold build on the main thread only (one run).
  rmSync(out, { recursive: true, force: true });
  const serial = quick
    ? undefined
    : await measure(() => buildSite(config, options({ cache: false, threads: 0 })));
  const startup = cliStartup();
  const evidence = await compileProfile(dir, config);

  const ours = { cold: medians(cold), warm: medians(warm), search: medians(search) };
  const figures: Figure[] = [
    figure('cold build, median wall', ours.cold.wallMs, 'ms', duration(ours.cold.wallMs)),
    figure('cold build, median CPU (all threads)', ours.cold.cpuMs, 'ms', duration(ours.cold.cpuMs)),
    figure(
      'warm build (one section changed), median wall',
      ours.warm.wallMs,
      'ms',
      duration(ours.warm.wallMs),
    ),
    figure('warm build, median CPU', ours.warm.cpuMs, 'ms', duration(ours.warm.cpuMs)),
    figure(
      'of which: Pagefind search index alone, median wall',
      ours.search.wallMs,
      'ms',
      duration(ours.search.wallMs),
    ),
    figure(
      'warm build without the search index (warm − Pagefind)',
      ours.warm.wallMs - ours.search.wallMs,
      'ms',
      duration(ours.warm.wallMs - ours.search.wallMs),
    ),
    figure('files written per build', written, 'files', String(written)),
    figure('CLI start-up (node + tsx + build modules), median of 3', startup, 'ms', duration(startup)),
  ];
  if (serial) {
    figures.push(
      figure(
        'cold build on one thread (no workers, no cache), one run',
        serial.wallMs,
        'ms',
        duration(serial.wallMs),
      ),
      figure(
        'speed-up from the second core (one-thread ÷ cold)',
        serial.wallMs / ours.cold.wallMs,
        '×',
        times(serial.wallMs / ours.cold.wallMs),
      ),
    );
  }
  const notes: string[] = [];
  let coldRatio = Number.NaN;
  let warmRatio = Number.NaN;
  if (hugo) {
    const h = medians(hugoCold);
    const hs = medians(hugoSearch);
    coldRatio = ours.cold.wallMs / h.wallMs;
    warmRatio = ours.warm.wallMs / h.wallMs;
    figures.push(
      figure('Hugo cold build, median wall', h.wallMs, 'ms', duration(h.wallMs)),
      figure('Hugo cold build, median CPU', h.cpuMs, 'ms', duration(h.cpuMs)),
      figure('Pagefind CLI over the Hugo site, median wall', hs.wallMs, 'ms', duration(hs.wallMs)),
      figure('cold ÷ Hugo (CPU time)', ours.cold.cpuMs / h.cpuMs, '×', times(ours.cold.cpuMs / h.cpuMs)),
      figure(
        'cold ÷ (Hugo + Pagefind), like for like with search',
        ours.cold.wallMs / (h.wallMs + hs.wallMs),
        '×',
        times(ours.cold.wallMs / (h.wallMs + hs.wallMs)),
      ),
      figure(
        'warm ÷ (Hugo + Pagefind) cold',
        ours.warm.wallMs / (h.wallMs + hs.wallMs),
        '×',
        times(ours.warm.wallMs / (h.wallMs + hs.wallMs)),
      ),
      figure(
        'warm without search index ÷ Hugo cold',
        (ours.warm.wallMs - ours.search.wallMs) / h.wallMs,
        '×',
        times((ours.warm.wallMs - ours.search.wallMs) / h.wallMs),
      ),
    );
    notes.push(
      `${hugo}; the Hugo site (written by bench/hugo.ts) has one page per issue with the same Markdown, a table of contents, previous/next and two teasers, a list page grouped by year, RSS and sitemap. Hugo runs as a process (its start-up included); ours in-process.`,
    );
  } else {
    notes.push(
      'Hugo is not installed (`apt-get install hugo`): the Hugo comparison was skipped, so the two ratio targets are not measured.',
    );
  }
  const bounds: string[] = [];
  if (hugo) {
    const h = medians(hugoCold);
    const perFile = evidence.cpuMs / evidence.files;
    const tokenizer = evidence.shares.find((share) => share.name === TOKENIZER)?.percent ?? 0;
    bounds.push(
      `**Cold (${times(coldRatio)} Hugo).** CPU, and how much of it Markdown parsing takes. Our cold build used ${duration(ours.cold.cpuMs)} of CPU on all threads for ${count * 11} Markdown files; Hugo used ${duration(h.cpuMs)} for the whole site (${times(ours.cold.cpuMs / h.cpuMs)} in CPU). A profile of compiling ${PROFILED} issues on one thread (read → parse → page and feed HTML, JIT warmed up, this run) spends ${perFile.toFixed(2)} ms of CPU per Markdown file: ${describeShares(evidence.shares)}. The tokenizer is micromark, the CommonMark/GFM reference parser of the unified stack every stage builds on (positions for messages, remark/rehype plugins); Hugo's goldmark is compiled Go. Even if all of our own code and the tree work took no time, the tokenizer's ${tokenizer.toFixed(0)}% would leave ≈ ${times((ours.cold.cpuMs * tokenizer) / 100 / h.cpuMs)} Hugo's CPU. Fixed here: both cores (worker threads parse while the main thread does too${serial ? `; one thread: ${duration(serial.wallMs)}, so ${times(serial.wallMs / ours.cold.wallMs)}` : ''}), Intl formatters made once (they were ~1 ms each, two per issue), the archive sorted once instead of once per issue, one tree copy per fragment instead of two, teaser excerpts cut once, Pagefind fed without a round trip per page and while the other files are written. Left: a worker's start-up (≈ 2 s of CPU to load the parser through tsx) and its JIT warm-up, which a 2-core machine under other load cannot hide.`,
      `**Warm (${times(warmRatio)} Hugo).** The search index. With the cache, unchanged issues are neither parsed nor rendered (the warm build used ${duration(ours.warm.cpuMs)} of CPU on this thread, against ${duration(ours.cold.cpuMs)} cold), but Pagefind rebuilds its index from all ${count} pages on every build: ${duration(ours.search.wallMs)} on its own, while the rest of the warm build is ≈ ${duration(ours.warm.wallMs - ours.search.wallMs)} (${times((ours.warm.wallMs - ours.search.wallMs) / h.wallMs)} Hugo). Hugo builds no search index; Pagefind's own CLI over Hugo's output took ${duration(medians(hugoSearch).wallMs)}. Pagefind 1.x has no incremental mode (its service handles one message at a time and writes the whole bundle), so a warm build that must publish a correct index cannot get below one Pagefind run.`,
    );
  }
  return {
    id: 'web',
    title: `Web archive build of a ${count}-issue archive`,
    method: `\`buildSite({ email: false })\` in-process over ${count} synthetic issues × 10 sections (bench/corpus.ts). Cold: no output folder, no cache, worker threads on; ${coldRuns} runs, each followed by one Hugo cold build and one Pagefind run over Hugo's output. Warm: cache filled, the newest issue's first section edited before each of ${quick ? 3 : 5} runs. Medians.`,
    figures,
    targets: [
      target('cold ÷ Hugo cold', coldRatio, '×', '≤', 4),
      target('warm ÷ Hugo cold', warmRatio, '×', '≤', 0.5),
    ],
    notes,
    bounds,
  };
}

const TOKENIZER = 'Markdown tokenizer (micromark, mdast-util-from-markdown)';
const PROFILED = 60;
const CATEGORIES: Category[] = [
  {
    name: TOKENIZER,
    match:
      /node_modules\/(micromark|mdast-util-from-markdown|mdast-util-gfm|decode-named-character-reference)/,
  },
  { name: 'tree walks (unist-util-*)', match: /node_modules\/unist-util-/ },
  {
    name: 'mdast → hast → HTML',
    match:
      /node_modules\/(mdast-util-to-hast|hast-util-|property-information|stringify-entities|html-void-elements|zwitch|comma-separated|space-separated)/,
  },
  { name: 'garbage collection', match: /\(garbage collector\)/ },
  { name: 'front matter (yaml, zod)', match: /node_modules\/(yaml|zod)\// },
  { name: 'our code (src/)', match: /\/src\// },
];

// A profile of compiling issues on this thread, after a warm-up round (the JIT is warm).
async function compileProfile(
  dir: string,
  config: Config,
): Promise<{ shares: Share[]; cpuMs: number; files: number }> {
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

function readSectionName(dir: string, id: string): string {
  return readdirSync(join(dir, id)).find((name) => /^01-.*\.md$/.test(name))!;
}

// `nyhetsbrev build` pays this before building: node, tsx's loader, and the build modules.
function cliStartup(): number {
  const runs = [0, 1, 2].map(() => {
    const start = performance.now();
    spawnSync(process.execPath, [join(ROOT, 'bin/run-ts.js'), join(ROOT, 'bench/startup-probe.ts')], {
      stdio: 'ignore',
    });
    return performance.now() - start;
  });
  return median(runs);
}
