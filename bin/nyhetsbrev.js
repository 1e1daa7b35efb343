#!/usr/bin/env node
// Runs the CLI compiled to lib/ (by `npm ci`, `npm run compile` or the tests) when it was compiled
// from src/ as it is now; otherwise the TypeScript sources through tsx. So an edit in src/ is never
// run stale — only slower (tsx compiles at start-up) until the next compile.
import { fileURLToPath } from 'node:url';
import { isFresh } from './compiled.js';

let entry;
if (isFresh(fileURLToPath(new URL('..', import.meta.url)))) {
  // Node's source maps stay off (they cost every module load): a bug's stack trace (exit 70) is
  // put in the lines of src/*.ts when printed (src/errors/stack.ts).
  entry = await import('../lib/cli/main.js');
} else {
  if (process.stderr.isTTY) {
    process.stderr.write(
      'nyhetsbrev: src/ changed since it was compiled, so it runs through tsx (slower); `npm run compile` makes it fast again.\n',
    );
  }
  const { register } = await import('tsx/esm/api');
  register();
  entry = await import('../src/cli/main.ts');
}
process.exitCode = await entry.main(process.argv);
