import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: compiles src/ to lib/ when lib/ does not match the sources, so the tests
 * that spawn `bin/nyhetsbrev.js` run the CLI as it ships (compiled), from the sources as they are.
 */
export default function compileCli(): void {
  execFileSync(process.execPath, ['bin/compile.js', '--if-stale'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: 'inherit',
  });
}
