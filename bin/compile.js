#!/usr/bin/env node
// `node bin/compile.js [--if-stale]`: compiles src/ (TypeScript) to lib/ (JavaScript) file by file,
// so `bin/nyhetsbrev.js` starts without compiling anything. Runs on `npm ci` / `npm install`
// (the `prepare` script), before the tests (vitest's global setup) and as `npm run compile`.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { isFresh, OUT, sourceKey, STAMP } from './compiled.js';

/**
 * Compiles every `src/**\/*.ts` of the package at `root` to `lib/**\/*.js`, one output per file:
 * imports stay imports (`./x.ts` becomes `./x.js`), so a command loads only the modules it uses.
 * Each file is replaced atomically and the stamp is written last, and only when no source changed
 * during the compile — a CLI started meanwhile runs the sources instead, never a half-written lib/.
 * Returns false when lib/ was already up to date and `ifStale` was set.
 * @param {string} root the package folder
 * @param {{ ifStale?: boolean }} [options]
 * @returns {Promise<boolean>}
 */
export async function compile(root, { ifStale = false } = {}) {
  if (ifStale && isFresh(root)) return false;
  const out = join(root, OUT);
  const key = sourceKey(root);
  rmSync(join(out, STAMP), { force: true });
  const src = join(root, 'src');
  const entryPoints = readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
  const result = await build({
    absWorkingDir: root,
    entryPoints,
    outbase: src,
    outdir: out,
    // Bundling mode, with every import left external: the way to have esbuild rewrite `.ts`.
    bundle: true,
    plugins: [externalImports],
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    sourcemap: 'linked',
    write: false,
    logLevel: 'warning',
  });
  const written = new Set();
  for (const file of result.outputFiles) {
    written.add(file.path);
    mkdirSync(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  for (const entry of readdirSync(out, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && entry.name !== STAMP && !written.has(path)) rmSync(path, { force: true });
  }
  if (sourceKey(root) === key) writeFileSync(join(out, STAMP), key);
  return true;
}

/**
 * Leaves every import to Node at run time; relative `.ts` specifiers point at the compiled `.js`.
 * @type {import('esbuild').Plugin}
 */
const externalImports = {
  name: 'external-imports',
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, ({ kind, path }) => {
      if (kind === 'entry-point') return undefined;
      const relativeTs = /^\.\.?\//.test(path) && path.endsWith('.ts');
      return { path: relativeTs ? `${path.slice(0, -3)}.js` : path, external: true };
    });
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const compiled = await compile(root, { ifStale: process.argv.includes('--if-stale') });
  process.stderr.write(compiled ? `compiled src/ to ${OUT}/\n` : '');
}
