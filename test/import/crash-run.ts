/**
 * The import crash test's driver: plans an import and writes it, killing its own process (SIGKILL,
 * no cleanup runs) just before the file numbered `killAt` is written.
 * Usage: node bin/run-ts.js test/import/crash-run.ts ISSUES KILL_AT [--into ID] FILE…
 */
import { planImport, writeImport } from '../../src/import/index.ts';

const [issuesDir, killAt, ...rest] = process.argv.slice(2);
const intoIndex = rest.indexOf('--into');
const into = intoIndex === -1 ? undefined : rest[intoIndex + 1];
const files =
  intoIndex === -1 ? rest : rest.filter((_, index) => index !== intoIndex && index !== intoIndex + 1);
const plan = await planImport({ files, issuesDir: issuesDir!, into });
let count = 0;
await writeImport(plan, () => {
  if (++count === Number(killAt)) process.kill(process.pid, 'SIGKILL');
});
