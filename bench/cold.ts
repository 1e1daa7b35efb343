import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { hugoVersion, buildHugo, pagefindHugo, writeHugoSite } from './hugo.ts';
import { figure, target, type BenchResult, type Figure, type Target } from './result.ts';
import { corpus, ROOT, SCRATCH } from './setup.ts';
import { duration, median, times, type Sample } from './stats.ts';

// Reports node's peak RSS (all its threads; not its child processes; bench/peak-rss.mjs) at exit.
const RESOURCES = `data:text/javascript,${encodeURIComponent(
  `import { writeFileSync } from 'node:fs'; import { peakRssKb } from '${pathToFileURL(join(ROOT, 'bench/peak-rss.mjs')).href}'; process.on('exit', () => writeFileSync(process.env.RESOURCE_FILE, JSON.stringify({ rssKb: peakRssKb() })));`,
)}`;

/** A cold CLI build: wall and CPU (node, its threads and Pagefind's process), node's peak RSS. */
interface Cold extends Sample {
  rssMb: number;
}

/**
 * Issue 20: a cold `nyhetsbrev build` of a whole synthetic archive as a deploy runs it — a process
 * of its own, no cache, no output folder — against Hugo and Pagefind's CLI over Hugo's site, in
 * the same rounds. A whole-archive build renders no email (they are rendered for the issues named,
 * by `preview` and by `send`); `build --emails`, what every build did before, is shown once.
 */
export function benchCold({ quick }: { quick: boolean }): Promise<BenchResult> {
  const sizes = quick ? [100] : [300, 1000];
  const hugo = hugoVersion();
  const figures: Figure[] = [];
  const targets: Target[] = [];
  const bounds: string[] = [];
  for (const count of sizes) {
    const { dir } = corpus(`cold-corpus-${count}`, count);
    const site = join(SCRATCH, `cold-hugo-${count}`);
    if (hugo) writeHugoSite(dir, site);
    const ours: Cold[] = [];
    const webOnly: Cold[] = [];
    const hugoRuns: Sample[] = [];
    const pagefindRuns: Sample[] = [];
    for (let round = 0; round < (quick ? 1 : 3); round++) {
      ours.push(coldBuild(dir, []));
      webOnly.push(coldBuild(dir, [], WEB_ONLY));
      if (!hugo) continue;
      hugoRuns.push(buildHugo(site));
      pagefindRuns.push(pagefindHugo(site, join(ROOT, 'node_modules/.bin/pagefind')));
    }
    const emails = count <= 300 ? coldBuild(dir, ['--emails']) : undefined;
    const build = mid(ours);
    const web = mid(webOnly);
    figures.push(
      figure(`${count} issues: cold build, wall`, build.wallMs, 'ms', duration(build.wallMs)),
      figure(
        `${count} issues: cold build without search (\`search.enabled: false\`), wall · CPU`,
        web.wallMs,
        'ms',
        `${duration(web.wallMs)} · ${duration(web.cpuMs)}`,
      ),
      figure(
        `${count} issues: cold build, CPU (node and Pagefind)`,
        build.cpuMs,
        'ms',
        duration(build.cpuMs),
      ),
      figure(
        `${count} issues: cold build, node's peak RSS`,
        build.rssMb,
        'MB',
        `${build.rssMb.toFixed(0)} MB`,
      ),
    );
    if (emails)
      figures.push(
        figure(
          `${count} issues: cold build --emails (every email too, as before), wall · CPU · peak RSS`,
          emails.wallMs,
          'ms',
          `${duration(emails.wallMs)} · ${duration(emails.cpuMs)} · ${emails.rssMb.toFixed(0)} MB`,
        ),
      );
    if (count >= 1000) {
      targets.push(target(`${count} issues: node's peak RSS`, build.rssMb, 'MB', '≤', 300));
      if (build.rssMb > 300) bounds.push(MEMORY_BOUND(count, build.rssMb));
    }
    if (!hugo) continue;
    const h = { wallMs: median(hugoRuns.map((s) => s.wallMs)), cpuMs: median(hugoRuns.map((s) => s.cpuMs)) };
    const p = median(pagefindRuns.map((s) => s.wallMs));
    figures.push(
      figure(
        `${count} issues: Hugo cold, wall · CPU`,
        h.wallMs,
        'ms',
        `${duration(h.wallMs)} · ${duration(h.cpuMs)}`,
      ),
      figure(`${count} issues: Pagefind CLI over Hugo's site, wall`, p, 'ms', duration(p)),
      figure(`${count} issues: CPU ÷ Hugo's CPU`, build.cpuMs / h.cpuMs, '×', times(build.cpuMs / h.cpuMs)),
    );
    targets.push(
      target(`${count} issues: build ÷ (Hugo + Pagefind)`, build.wallMs / (h.wallMs + p), '×', '≤', 4),
      target(`${count} issues: web only (no search) ÷ Hugo`, web.wallMs / h.wallMs, '×', '≤', 4),
    );
    figures.push(
      figure(
        `${count} issues: build with its search index ÷ Hugo alone`,
        build.wallMs / h.wallMs,
        '×',
        times(build.wallMs / h.wallMs),
      ),
    );
    if (web.wallMs / h.wallMs > 4)
      bounds.push(
        `**${count} issues, web only: start-up, compiling on two threads, then writing pages on one.** Without its search index (\`search.enabled: false\`) ours took ${duration(web.wallMs)} wall / ${duration(web.cpuMs)} CPU against Hugo's ${duration(h.wallMs)} / ${duration(h.cpuMs)}; with the index ${duration(build.wallMs)} (Pagefind's CLI alone over Hugo's site: ${duration(p)}). Timelines of these builds (compiled CLI): ≈ 0.5 s of start-up (Node, our modules), then every issue compiled on the main thread and one worker (parse, mdast → hast → HTML, the cache's copy written by whichever thread compiled it), then the pages rendered from the templates and written on the main thread alone (≈ 3–5 ms a page) — Hugo does all of it in compiled Go on every core. Markdown no longer bounds it: plain Markdown takes the fast path (src/parse/fast-markdown.ts, micromark's exact tree for headings, paragraphs, tight lists, footnotes, fact boxes, emphasis, links and email addresses; anything else goes to micromark), which halved the 1,000-issue build's CPU. With the index, Pagefind is the longest part: its API's service takes a process's messages one at a time (≈ 4 ms of Pagefind per issue page of 23 KB), shard after shard as their pages are written, so the build waits for it after its last page. Tried and left out: a second Pagefind process (a worker thread loads a Pagefind module of its own) — on 2 cores no faster in interleaved runs, +45 MB and +3 s of CPU.`,
      );
  }
  return Promise.resolve({
    id: 'cold',
    title: 'Cold `nyhetsbrev build` of a whole archive',
    method: `\`nyhetsbrev build --issues DIR --out DIR\` as a process (compiled CLI, start-up included) over synthetic archives of ${sizes.join(' and ')} issues × 10 sections (bench/corpus.ts), with an empty cache folder and no output folder; ${quick ? 1 : 3} interleaved round(s) of ours, Hugo, Pagefind's CLI over Hugo's output; medians. CPU is the whole process tree's (bash \`times\`: node with its worker threads, and Pagefind's process); peak RSS is node's own (VmHWM, its address space's peak: all threads), Pagefind's process is separate.`,
    figures,
    targets,
    notes: hugo
      ? [hugo]
      : ['Hugo is not installed (`apt-get install hugo`): the Hugo comparison was skipped.'],
    bounds,
  });
}

// What bounds the peak at 1,000 issues, from timelines of \`process.memoryUsage()\` (every 0.5 s, main
// thread and worker) of cold builds of the same corpus measured while this bench was written.
const MEMORY_BOUND = (count: number, rssMb: number) =>
  `**${count} issues, memory (${rssMb.toFixed(0)} MB): two V8 heaps while parsing.** The peak is in the loading step, before any page is written: the main thread and one worker thread each parse Markdown (micromark and mdast make ≈ 10× the source in short-lived objects), besides ≈ 60 MB of code (unified, micromark, Handlebars) loaded in both. Left to V8, each heap grew to 100–150 MB before it collected (V8 lets a heap grow up to 4× what outlived its last full collection); while a build runs they now grow at most 30 % past it (\`growHeapsSlowly\`, src/build/heap.ts), and the worker's is capped at 96 MB (\`WORKER_LIMITS\`, src/load/parallel.ts; a worker that outgrows it leaves its jobs to the main thread), so the main heap stays under ≈ 95 MB and the worker's under ≈ 75 MB. What the build holds is small: the compiled issues' summaries (each issue's page and feed HTML is written to the cache as it is compiled and read back when its page renders), and the pages are written and handed to Pagefind one at a time. Measured on the way, on a machine loaded by other work (load 15–24 on 2 cores): 249–305 MB before; the worker capped alone 227–261 MB; slower growth (kept, with the cap) 224–233 MB, for ≈ 5 % more CPU at 300 issues and ≈ 15 % at 1,000 (paired runs, whose CPU varied by ± 15 %); with the worker's young generation cut to 16 MB as well, 205–213 MB for ≈ 10 % more CPU again, not kept. Earlier runs on a quieter machine peaked at 343–391 MB before.`;

// The repository's config with the archive's own search turned off: what "web only" builds.
const WEB_ONLY = (): string => {
  const file = join(SCRATCH, 'web-only.yml');
  const lists = join(ROOT, 'subscribers', 'lists.yml');
  const config = readFileSync(join(ROOT, 'nyhetsbrev.yml'), 'utf8');
  writeFileSync(file, `${config}\nlists: ${JSON.stringify(lists)}\nsearch:\n  enabled: false\n`);
  return file;
};

function coldBuild(dir: string, extra: string[], config?: () => string): Cold {
  const scratch = mkdtempSync(join(SCRATCH, 'cold-'));
  const file = join(scratch, 'resources.json');
  const args = [
    '--import',
    RESOURCES,
    join(ROOT, 'bin/nyhetsbrev.js'),
    ...(config ? ['--config', config()] : []),
    'build',
    '--issues',
    dir,
  ];
  const command = [process.execPath, ...args, '--out', join(scratch, 'out'), ...extra].map(quote).join(' ');
  const start = performance.now();
  const result = spawnSync('bash', ['-c', `${command} > /dev/null && times`], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', RESOURCE_FILE: file, NYHETSBREV_CACHE: join(scratch, 'cache') },
  });
  const wallMs = performance.now() - start;
  if (result.status !== 0) throw new Error(`nyhetsbrev build failed: ${result.stderr}`);
  const children = result.stdout.trim().split('\n').at(-1) ?? '';
  const cpuMs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, [, m, s]) => sum + (Number(m) * 60 + Number(s)) * 1000,
    0,
  );
  const { rssKb } = JSON.parse(readFileSync(file, 'utf8')) as { rssKb: number };
  rmSync(scratch, { recursive: true, force: true });
  return { wallMs, cpuMs, rssMb: rssKb / 1024 };
}

function mid(runs: readonly Cold[]): Cold {
  return {
    wallMs: median(runs.map((r) => r.wallMs)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    rssMb: median(runs.map((r) => r.rssMb)),
  };
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}
