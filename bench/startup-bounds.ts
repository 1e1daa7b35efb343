import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, scratch } from './setup.ts';
import { duration } from './stats.ts';

// Runs what `nyhetsbrev check ID` runs, from lib/ and without tsx, marking the CPU time of each
// phase. A first `buildIssue` before `checkIssue` separates the first render (MJML loads its
// minifiers then) from the rules; so the total is one warm render more than the command's.
const SCRIPT = (lib: (path: string) => string, issue: string) => `
const cpu = () => { const used = process.cpuUsage(); return (used.user + used.system) / 1000; };
const phases = [['node start-up', cpu()]];
let last = phases[0][1];
const mark = (name) => { const now = cpu(); phases.push([name, now - last]); last = now; };
await import('mjml');
mark('importing MJML');
const { loadConfig } = await import(${lib('config/load.js')});
const { loadArchive, buildIssue } = await import(${lib('pipeline.js')});
const { checkIssue } = await import(${lib('check/index.js')});
await import(${lib('report/reporter.js')});
mark('importing the other modules of check');
const config = loadConfig('nyhetsbrev.yml', { explicit: false });
const archive = await loadArchive('issues', config);
mark('loading the config and the archive');
await buildIssue(archive, ${JSON.stringify(issue)}, config);
mark('the first render of the issue');
await checkIssue(archive, ${JSON.stringify(issue)}, config);
mark('checkIssue: a warm render and the rules');
process.stdout.write(JSON.stringify(phases));
`;

/** CPU milliseconds of each phase of `check <issue>`, in a process of its own (see SCRIPT). */
export function checkPhases(issue: string): [phase: string, cpuMs: number][] {
  const lib = (path: string) => JSON.stringify(pathToFileURL(join(ROOT, 'lib', path)).href);
  const file = join(scratch('startup-phases'), 'phases.mjs');
  writeFileSync(file, SCRIPT(lib, issue));
  const result = spawnSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the phases of check failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as [string, number][];
}

/** What bounds `check`, for the report: its phases' CPU time against `node -e 0`'s. */
export function describeCheckBounds(issue: string, nodeCpuMs: number): string {
  const phases = checkPhases(issue);
  const total = phases.reduce((sum, [, ms]) => sum + ms, 0);
  const list = phases.map(([name, ms]) => `${name} ${duration(ms)} (${Math.round((ms / total) * 100)} %)`);
  return `CPU time of \`check ${issue}\` by phase (this run, one process running lib/): ${list.join('; ')}. That is ${Math.round(total / nodeCpuMs)}× the CPU time of \`node -e 0\` in this run (${duration(nodeCpuMs)}): where \`node -e 0\` takes 40 ms, about ${duration((total / nodeCpuMs) * 40)}. MJML's share (its import, and the minifiers — htmlnano, cssnano, svgo, css-tree — it loads on the first render) is a stage of render, not of the CLI.`;
}
