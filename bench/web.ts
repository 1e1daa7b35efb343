import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compileArchive } from '../src/load/index.ts';
import { buildSite, type BuildOptions } from '../src/build/index.ts';
import { writeSearchIndex, type SearchReport } from '../src/build/search.ts';
import { Writer } from '../src/build/writer.ts';
import { buildHugo, hugoVersion, pagefindHugo, writeHugoSite } from './hugo.ts';
import { figure, target, type BenchResult, type Figure } from './result.ts';
import { benchConfig, corpus, ROOT, scratch, SCRATCH } from './setup.ts';
import { duration, interleave, measure, median, medians, times, type Sample } from './stats.ts';
import { compileProfile, webBounds, type WebMedians } from './web-bounds.ts';

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
    ...{ issuesDir: dir, outDir: out, ids: [], drafts: false, email: false, cache },
    ...extra,
  });
  const hugo = hugoVersion();
  const hugoSite = join(SCRATCH, 'hugo-site');
  if (hugo) writeHugoSite(dir, hugoSite);

  // Cold, interleaved: ours on every core, Hugo, Pagefind over Hugo's site, ours on one thread.
  const rounds = quick ? 2 : 3;
  const cold: Sample[] = [];
  const webOnly: Sample[] = [];
  const serial: Sample[] = [];
  const hugoCold: Sample[] = [];
  const hugoSearch: Sample[] = [];
  const coldBuild = async (extra: Partial<BuildOptions>): Promise<Sample> => {
    rmSync(out, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
    return measure(() => buildSite(config, options(extra)));
  };
  const withoutSearch = { ...config, search: { enabled: false } };
  for (let round = 0; round < rounds; round++) {
    cold.push(await coldBuild({}));
    rmSync(out, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
    webOnly.push(await measure(() => buildSite(withoutSearch, options({}))));
    if (hugo) {
      hugoCold.push(buildHugo(hugoSite));
      hugoSearch.push(pagefindHugo(hugoSite, join(ROOT, 'node_modules/.bin/pagefind')));
    }
    serial.push(await coldBuild({ cache: false, threads: 0 }));
  }
  const written = (await buildSite(config, options({}))).written.length; // also fills the cache

  // Warm: the newest issue's first section is edited before each build (new bytes every time).
  const section = join(
    dir,
    ids.at(-1)!,
    readdirSync(join(dir, ids.at(-1)!)).find((name) => name.startsWith('01-'))!,
  );
  const original = readFileSync(section, 'utf8');
  const warm: Sample[] = [];
  const reports: SearchReport[] = [];
  for (let run = 0; run < (quick ? 3 : 5); run++) {
    writeFileSync(section, `${original}\nÄndrad i körning ${run + 1}.\n`);
    warm.push(await measure(async () => reports.push((await buildSite(config, options({}))).search!)));
  }
  writeFileSync(section, original);
  // A build with nothing changed: the floor of a warm build (every page kept, no Pagefind).
  const unchanged: Sample[] = [];
  for (let run = 0; run < 3; run++) unchanged.push(await measure(() => buildSite(config, options({}))));

  // What the warm build's search index costs: from scratch (Pagefind over every shard), every
  // shard from the cache (the last warm build's pages, whose bundles it kept), and Pagefind over
  // the shard the warm build indexed again (the newest year's pages) alone.
  const pages = ids.map((id) => ({
    path: `${id}/index.html`,
    html: readFileSync(join(out, 'web', id, 'index.html'), 'utf8'),
  }));
  const newest = pages.filter((page) => page.path.startsWith(ids.at(-1)!.slice(0, 5)));
  const search = await interleave(
    {
      scratch: () => writeSearchIndex(pages, config.locale, new Writer(scratch('web-search'))),
      cached: () => writeSearchIndex(pages, config.locale, new Writer(scratch('web-search')), { cache }),
      newest: () => writeSearchIndex(newest, config.locale, new Writer(scratch('web-search'))),
    },
    { runs: 3 },
  );
  const compileCached: Sample[] = [];
  for (let run = 0; run < 3; run++) {
    compileCached.push(await measure(() => compileArchive(dir, config, { cache })));
  }
  const startup = cliStartup();
  const evidence = await compileProfile(dir, config);

  const ours: WebMedians = {
    cold: medians(cold),
    webOnly: medians(webOnly),
    serial: medians(serial),
    warm: medians(warm),
    unchanged: medians(unchanged),
    search: medians(search.scratch!),
    searchCached: medians(search.cached!),
    searchNewest: medians(search.newest!),
    shards: { count: reports[0]?.shards.length ?? 0, rebuilt: median(reports.map((r) => r.rebuilt.length)) },
    newestPages: newest.length,
    compileCached: medians(compileCached),
    hugo: hugo ? medians(hugoCold) : undefined,
    hugoSearch: hugo ? medians(hugoSearch) : undefined,
  };
  const figures = webFigures(ours, written, startup);
  const h = ours.hugo?.wallMs ?? Number.NaN;
  return {
    id: 'web',
    title: `Web archive build of a ${count}-issue archive`,
    method: `\`buildSite({ email: false })\` in-process over ${count} synthetic issues × 10 sections (bench/corpus.ts). Cold: no output folder and no cache; ${rounds} rounds of: ours with worker threads, ours without search (\`search.enabled: false\`), Hugo, Pagefind's CLI over Hugo's output, ours on one thread. Warm: cache filled and the output folder of the build before, the newest issue's first section edited before each of ${quick ? 3 : 5} runs; then 3 runs with nothing changed. The search index alone (3 interleaved runs each, into an empty folder): from scratch, with every shard from the cache, and Pagefind over the newest year's shard. Medians.`,
    figures,
    targets: [
      target('cold, web only (no search) ÷ Hugo cold', ours.webOnly.wallMs / h, '×', '≤', 4),
      target('warm ÷ Hugo cold', ours.warm.wallMs / h, '×', '≤', 0.5),
    ],
    notes: [
      hugo
        ? `${hugo}; the Hugo site (written by bench/hugo.ts) has one page per issue with the same Markdown, a table of contents, previous/next and two teasers, a list page grouped by year, RSS and sitemap. Hugo runs as a process (its start-up included); ours in-process.`
        : 'Hugo is not installed (`apt-get install hugo`): the Hugo comparison was skipped, so the two ratio targets are not measured.',
    ],
    bounds: webBounds(ours, evidence, { count, load: loadavg()[0] ?? 0 }),
  };
}

function webFigures(ours: WebMedians, written: number, startup: number): Figure[] {
  const figures: Figure[] = [
    msFigure('cold build, median wall', ours.cold.wallMs),
    msFigure('cold build without search (`search.enabled: false`), median wall', ours.webOnly.wallMs),
    msFigure('cold build, median CPU (this process, all threads)', ours.cold.cpuMs),
    msFigure('cold build on one thread (no workers), median wall', ours.serial.wallMs),
    figure(
      'speed-up from worker threads (one thread ÷ cold)',
      ours.serial.wallMs / ours.cold.wallMs,
      '×',
      times(ours.serial.wallMs / ours.cold.wallMs),
    ),
    msFigure('warm build (one section changed), median wall', ours.warm.wallMs),
    msFigure('warm build, median CPU', ours.warm.cpuMs),
    msFigure('build with nothing changed (every page kept, no Pagefind), median wall', ours.unchanged.wallMs),
    msFigure(
      'compiled issues from the cache alone (compileArchive, every issue cached), median wall',
      ours.compileCached.wallMs,
    ),
    figure(
      'search shards indexed again per warm build (median) of all shards',
      ours.shards.rebuilt,
      'shards',
      `${ours.shards.rebuilt} of ${ours.shards.count}`,
    ),
    msFigure('search index from scratch (Pagefind over every shard), median wall', ours.search.wallMs),
    msFigure('search index with every shard from the cache, median wall', ours.searchCached.wallMs),
    figure(
      `Pagefind over the newest year's shard alone (${ours.newestPages} pages), median wall`,
      ours.searchNewest.wallMs,
      'ms',
      duration(ours.searchNewest.wallMs),
    ),
    figure(
      'files of the site per build (written, or already holding their bytes)',
      written,
      'files',
      String(written),
    ),
    msFigure('CLI start-up (node + tsx + build modules), median of 3, not in the times above', startup),
  ];
  const { hugo, hugoSearch } = ours;
  if (!hugo || !hugoSearch) return figures;
  const both = hugo.wallMs + hugoSearch.wallMs;
  figures.push(
    msFigure('Hugo cold build, median wall', hugo.wallMs),
    msFigure('Hugo cold build, median CPU', hugo.cpuMs),
    msFigure('Pagefind CLI over the Hugo site, median wall', hugoSearch.wallMs),
    figure(
      'cold (with its search index) ÷ Hugo cold',
      ours.cold.wallMs / hugo.wallMs,
      '×',
      times(ours.cold.wallMs / hugo.wallMs),
    ),
    figure('cold ÷ Hugo (CPU time)', ours.cold.cpuMs / hugo.cpuMs, '×', times(ours.cold.cpuMs / hugo.cpuMs)),
    figure(
      'cold ÷ (Hugo + Pagefind), like for like with search',
      ours.cold.wallMs / both,
      '×',
      times(ours.cold.wallMs / both),
    ),
    figure('warm ÷ (Hugo + Pagefind) cold', ours.warm.wallMs / both, '×', times(ours.warm.wallMs / both)),
  );
  return figures;
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

/** A figure in milliseconds, shown as a duration. */
function msFigure(label: string, ms: number): Figure {
  return figure(label, ms, 'ms', duration(ms));
}
