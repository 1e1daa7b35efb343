import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { figure, target, type BenchResult, type Figure } from './result.ts';
import { ROOT, scratch } from './setup.ts';
import { describeCheckBounds } from './startup-bounds.ts';
import { duration, interleave, median, medians, times } from './stats.ts';

const BIN = join(ROOT, 'bin/nyhetsbrev.js');

// Reports the process's CPU time and peak RSS (bench/peak-rss.mjs) at exit into RESOURCE_FILE.
const RESOURCES = `data:text/javascript,${encodeURIComponent(
  `import { writeFileSync } from 'node:fs'; import { peakRssKb } from '${pathToFileURL(join(ROOT, 'bench/peak-rss.mjs')).href}'; process.on('exit', () => { const u = process.resourceUsage(); writeFileSync(process.env.RESOURCE_FILE, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, rssKb: peakRssKb() })); });`,
)}`;

/** A process the benchmark starts: node with these arguments, in the repository. */
interface Run {
  label: string;
  args: string[];
  env?: Record<string, string>;
}

/**
 * Issue 15's start-up figures: `nyhetsbrev --help`, `--version` and `check <one issue>` as the
 * compiled CLI runs them (lib/, compiled first if src/ changed), against `node -e 0` measured in
 * the same rounds; and `--help` from the sources through tsx, which is what bin/ falls back to
 * when src/ changed since the last compile.
 */
export async function benchStartup({ quick }: { quick: boolean }): Promise<BenchResult> {
  const compile = spawnSync(process.execPath, [join(ROOT, 'bin/compile.js'), '--if-stale'], {
    encoding: 'utf8',
  });
  if (compile.status !== 0) throw new Error(`bin/compile.js failed: ${compile.stderr}`);
  const issue = readdirSync(join(ROOT, 'issues')).sort().at(-1)!;
  // MJML's results kept from the warm-up round on (an unchanged issue checked again), or none.
  const kept = { NYHETSBREV_CACHE: scratch('startup-cache') };
  const runs: Record<string, Run> = {
    node: { label: '`node -e 0`', args: ['-e', '0'] },
    help: { label: '`nyhetsbrev --help`', args: [BIN, '--help'] },
    version: { label: '`nyhetsbrev --version`', args: [BIN, '--version'] },
    check: {
      label: `\`nyhetsbrev check ${issue}\`, unchanged since the last check`,
      args: [BIN, 'check', issue],
      env: kept,
    },
    checkNew: {
      label: `\`nyhetsbrev check ${issue}\`, its email never compiled before`,
      args: [BIN, 'check', issue],
      env: { NYHETSBREV_CACHE: 'off' },
    },
    tsx: {
      label: '`nyhetsbrev --help` from the sources (tsx)',
      args: [join(ROOT, 'bin/run-ts.js'), join(ROOT, 'bench/cli-from-source.ts'), '--help'],
    },
  };
  const count = quick ? 5 : 11;
  const samples = await interleave(
    Object.fromEntries(Object.entries(runs).map(([name, run]) => [name, () => start(run)])),
    { runs: count, warmup: 1 },
  );
  const wall = (name: string) => medians(samples[name]!).wallMs;
  const base = wall('node');
  const usage = Object.fromEntries(
    Object.entries(runs).map(([name, run]) => [name, resources(run, quick ? 1 : 3)]),
  );
  const figures: Figure[] = [];
  for (const [name, run] of Object.entries(runs)) {
    figures.push(
      figure(
        `${run.label}, median wall`,
        wall(name),
        'ms',
        `${duration(wall(name))} (${times(wall(name) / base)} \`node -e 0\`)`,
      ),
      figure(
        `${run.label}, CPU · peak RSS`,
        usage[name]!.cpuMs,
        'ms',
        `${duration(usage[name]!.cpuMs)} · ${Math.round(usage[name]!.rssKb / 1024)} MB`,
      ),
    );
  }
  const targets = [
    target('`nyhetsbrev --help` ÷ `node -e 0`', wall('help') / base, '×', '≤', 3),
    target(`\`nyhetsbrev check ${issue}\`, unchanged since the last check`, wall('check'), 'ms', '≤', 1000),
    target(
      `\`nyhetsbrev check ${issue}\`, its email never compiled before`,
      wall('checkNew'),
      'ms',
      '≤',
      1000,
    ),
  ];
  const bounds = targets.slice(1).some((t) => t.met === false)
    ? [describeCheckBounds(issue, usage.node!.cpuMs, { keptMs: wall('check'), newMs: wall('checkNew') })]
    : [];
  return {
    id: 'startup',
    title: 'CLI start-up',
    method: `Each command as a process of its own, started from the repository (the compiled CLI in lib/, checked fresh first), ${count} interleaved rounds after one warm-up round, median wall time; ratios against \`node -e 0\` of the same rounds. \`check\` checks the newest issue of issues/ (${issue}) with the repository's nyhetsbrev.yml. CPU time and peak RSS come from ${quick ? 'one further run' : 'the median of three further runs'} of each, which report \`process.resourceUsage()\`'s CPU time and the peak RSS of their own address space (VmHWM) at exit.`,
    figures,
    targets,
    notes: [
      compile.stderr
        ? 'src/ had changed since the last compile, so lib/ was compiled before measuring.'
        : 'lib/ was up to date with src/.',
      '`--version` loads what `--help` loads (commander and the command declarations); no command loads its stage until it runs.',
      '`check` keeps MJML\'s results (the compiled email and its validation) in the build cache folder, keyed by the MJML source, the installed packages and Node: checking an issue whose email did not change loads no MJML. "Never compiled before" runs with `NYHETSBREV_CACHE=off`.',
    ],
    bounds,
  };
}

/** Starts `run` and waits for it; throws when it fails. */
function start(run: Run): void {
  const result = spawnSync(process.execPath, run.args, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CI: 'true', ...run.env },
  });
  if (result.status !== 0)
    throw new Error(`${run.label} exited with ${result.status}: ${result.stderr.toString()}`);
}

/** Median CPU time and peak RSS of `count` runs of `run`, as the process reports them. */
function resources(run: Run, count: number): { cpuMs: number; rssKb: number } {
  const file = join(scratch('startup'), 'resources.json');
  const reports = Array.from({ length: count }, () => {
    spawnSync(process.execPath, ['--import', RESOURCES, ...run.args], {
      cwd: ROOT,
      stdio: 'ignore',
      env: { ...process.env, CI: 'true', ...run.env, RESOURCE_FILE: file },
    });
    const report = JSON.parse(readFileSync(file, 'utf8')) as { cpuMs: number; rssKb: number };
    rmSync(file);
    return report;
  });
  return { cpuMs: median(reports.map((r) => r.cpuMs)), rssKb: median(reports.map((r) => r.rssKb)) };
}
