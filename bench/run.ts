/**
 * `npm run bench [-- --quick] [-- --only email,web,cold,preview,send,import,serve,startup]`: runs the benchmarks of
 * issue 8 one after another and writes bench/report.md and bench/report.json (with `--only`, the
 * other benchmarks' results of the last report are kept, marked with their run). `--quick` uses
 * smaller sizes (100 issues, 2,000/10,000 recipients) for a check that the benchmarks run; the
 * default produces the issue's figures (a few minutes). Never part of `npm test`.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { benchCold } from './cold.ts';
import { benchEmail } from './email.ts';
import { benchImport } from './import.ts';
import { benchPreview } from './preview.ts';
import { earlierResults, load, machine, writeReport } from './report.ts';
import type { BenchResult } from './result.ts';
import { benchSend } from './send.ts';
import { benchServeBusy } from './serve-busy.ts';
import { benchStartup } from './startup.ts';
import { ROOT } from './setup.ts';
import { benchWeb } from './web.ts';

const BENCHMARKS: Record<string, (options: { quick: boolean }) => Promise<BenchResult>> = {
  email: benchEmail,
  web: benchWeb,
  cold: benchCold,
  preview: benchPreview,
  send: benchSend,
  import: benchImport,
  serve: benchServeBusy,
  startup: benchStartup,
};

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
});
const quick = values.quick ?? false;
const names = values.only ? values.only.split(',').map((name) => name.trim()) : Object.keys(BENCHMARKS);
for (const name of names)
  if (!BENCHMARKS[name])
    throw new Error(`Unknown benchmark ${name}; known: ${Object.keys(BENCHMARKS).join(', ')}`);

const started = performance.now();
const loadBefore = load();
// An `--only` run keeps the other benchmarks' figures of the last report, marked with their run.
const kept = values.only ? earlierResults(`${ROOT}bench`, names) : [];
const results: BenchResult[] = [];
for (const name of names) {
  process.stderr.write(`bench: ${name}…\n`);
  const result = await BENCHMARKS[name]!({ quick });
  for (const t of result.targets) {
    const verdict = t.met === null ? 'skipped' : t.met ? 'met' : 'MISSED';
    process.stderr.write(
      `  ${t.name}: ${Number.isFinite(t.value) ? t.value : '–'} ${t.unit} (${t.bar}) ${verdict}\n`,
    );
  }
  results.push(result);
}
writeReport(
  `${ROOT}bench`,
  {
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    quick,
    only: values.only ? names : undefined,
    ...machine(),
    loadBefore,
    loadAfter: load(),
    durationS: (performance.now() - started) / 1000,
  },
  Object.keys(BENCHMARKS).flatMap((id) => [...kept, ...results].filter((result) => result.id === id)),
);
process.stderr.write(
  `bench: wrote bench/report.md and bench/report.json in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
);
