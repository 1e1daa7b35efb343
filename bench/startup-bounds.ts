import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, scratch } from './setup.ts';
import { duration } from './stats.ts';

// Runs what `nyhetsbrev check ID` runs, from lib/ and without tsx, marking the CPU time of each
// phase, with the result cache in CACHE_DIR (run twice: the second run is an unchanged issue
// checked again, which loads no MJML). A first `buildIssue` before `checkIssue` separates the
// first render from the rules; so the total is one warm render more than the command's.
const SCRIPT = (lib: (path: string) => string, issue: string) => `
const cpu = () => { const used = process.cpuUsage(); return (used.user + used.system) / 1000; };
const phases = [['node start-up', cpu()]];
let last = phases[0][1];
const mark = (name) => { const now = cpu(); phases.push([name, now - last]); last = now; };
const { loadConfig } = await import(${lib('config/load.js')});
const { loadArchive, buildIssue } = await import(${lib('pipeline.js')});
const { checkIssue } = await import(${lib('check/index.js')});
const { useResultCache } = await import(${lib('cache/results.js')});
await import(${lib('report/reporter.js')});
mark('importing the modules of check');
const config = loadConfig('nyhetsbrev.yml', { explicit: false });
useResultCache(process.env.CACHE_DIR);
const archive = await loadArchive('issues', config, { only: [${JSON.stringify(issue)}] });
mark('loading the config, the issue and the others’ issue.md');
await buildIssue(archive, ${JSON.stringify(issue)}, config);
mark('the first render of the issue (MJML and templates from the result cache when kept)');
await checkIssue(archive, ${JSON.stringify(issue)}, config);
mark('checkIssue: a warm render and the rules');
process.stdout.write(JSON.stringify(phases));
`;

/** CPU milliseconds of each phase of `check <issue>` checked again unchanged, in a process of its own (see SCRIPT). */
export function checkPhases(issue: string): [phase: string, cpuMs: number][] {
  const lib = (path: string) => JSON.stringify(pathToFileURL(join(ROOT, 'lib', path)).href);
  const file = join(scratch('startup-phases'), 'phases.mjs');
  writeFileSync(file, SCRIPT(lib, issue));
  const env = { ...process.env, CACHE_DIR: scratch('startup-phases-cache') };
  let result = spawnSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8', env });
  if (result.status === 0) result = spawnSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(`the phases of check failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as [string, number][];
}

/**
 * What bounds `check`, for the report: its phases' CPU time against `node -e 0`'s, with MJML's
 * results kept, and what an email never compiled before adds (`walls`: both medians of the run).
 */
export function describeCheckBounds(
  issue: string,
  nodeCpuMs: number,
  walls: { keptMs: number; newMs: number },
): string {
  const phases = checkPhases(issue);
  const total = phases.reduce((sum, [, ms]) => sum + ms, 0);
  const list = phases.map(([name, ms]) => `${name} ${duration(ms)} (${Math.round((ms / total) * 100)} %)`);
  return [
    `CPU time of \`check ${issue}\` checked again unchanged, by phase (this run, one process running lib/): ${list.join('; ')}. That is ${Math.round(total / nodeCpuMs)}× the CPU time of \`node -e 0\` in this run (${duration(nodeCpuMs)}).`,
    `What is left there is mostly loading code: our own modules of lib/ (~130 files, one per source file so module-relative paths hold), the ES module packages (unified, micromark and its extensions, zod …) bundled into a few chunks of lib/chunks/ by bin/packages.js, and the CommonJS ones Node loads file by file (yaml, Handlebars, commander) — then parsing the issue. Node 20 has no compile cache for ES modules (Node 22's \`module.enableCompileCache\` would keep their bytecode).`,
    `An email never compiled before adds MJML: loading it — one CommonJS file, lib/vendor/mjml.cjs (bin/vendor.js), with V8's code cache made at install — and the first compile with its minifiers: ${duration(walls.newMs)} against ${duration(walls.keptMs)} in this run's medians.`,
  ].join(' ');
}
