#!/usr/bin/env node
// `node bin/compile.js [--if-stale]`: compiles src/ (TypeScript) to lib/ (JavaScript) file by file,
// with the ES module packages it imports bundled (bin/packages.js) and MJML as one file
// (bin/vendor.js), so `bin/nyhetsbrev.js` starts without compiling anything and loads few files. Runs on `npm ci` / `npm install`
// (the `prepare` script), before the tests (vitest's global setup) and as `npm run compile`.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { isFresh, OUT, sourceKey, STAMP } from './compiled.js';
import { KEEP, PACKAGES, packageImports, packagesIn } from './packages.js';
import { precompileTemplates, SHIPPED_TEMPLATES } from './templates.js';
import { makeVendor, VENDOR } from './vendor.js';

/**
 * Compiles every `src/**\/*.ts` of the package at `root` to `lib/**\/*.js`, one output per file:
 * imports of src/ stay imports (`./x.ts` becomes `./x.js`), so a command loads only the modules it
 * uses; ES module packages are bundled into lib/ (lib/chunks/ holds what several files share).
 * Each file is replaced atomically and the stamp is written last, and only when no source changed
 * during the compile — a CLI started meanwhile runs the sources instead, never a half-written lib/.
 * Then makes the MJML bundle (bin/vendor.js) unless it matches the installed packages.
 * Returns false when lib/ was already up to date and `ifStale` was set.
 * @param {string} root the package folder
 * @param {{ ifStale?: boolean }} [options]
 * @returns {Promise<boolean>}
 */
export async function compile(root, { ifStale = false } = {}) {
  if (ifStale && isFresh(root)) {
    await makeVendor(root);
    return false;
  }
  const out = join(root, OUT);
  const key = sourceKey(root);
  rmSync(join(out, STAMP), { force: true });
  const src = join(root, 'src');
  const entryPoints = readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
  const options = /** @type {const} */ ({
    absWorkingDir: root,
    entryPoints,
    outbase: src,
    outdir: out,
    // Bundling mode: the way to have esbuild rewrite `.ts` specifiers and bundle ES module packages
    // (bin/packages.js); src/ files stay one output each, importing one another.
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    sourcesContent: false,
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  // Packages whose ES modules load CommonJS files that Node would not find from lib/ cannot be
  // bundled: each build finds more of them, until one finds none.
  const kept = new Set(KEEP);
  let size;
  let result;
  do {
    size = kept.size;
    result = await build({ ...options, plugins: [packageImports(kept)] });
  } while (kept.size !== size);
  const written = new Set([join(out, PACKAGES), join(root, SHIPPED_TEMPLATES)]);
  mkdirSync(out, { recursive: true });
  precompileTemplates(root);
  writeFileSync(join(out, PACKAGES), `${JSON.stringify(packagesIn(result.metafile, root, out), null, 1)}\n`);
  const vendor = join(root, dirname(VENDOR.bundle)) + sep;
  for (const file of result.outputFiles) {
    written.add(file.path);
    mkdirSync(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  for (const entry of readdirSync(out, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    // Temporary files are another compile's, running at the same time, about to be renamed.
    const temporary = /\.\d+\.tmp$/.test(entry.name);
    if (
      entry.isFile() &&
      entry.name !== STAMP &&
      !temporary &&
      !written.has(path) &&
      !path.startsWith(vendor)
    ) {
      rmSync(path, { force: true });
    }
  }
  await makeVendor(root);
  if (sourceKey(root) === key) writeFileSync(join(out, STAMP), key);
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const compiled = await compile(root, { ifStale: process.argv.includes('--if-stale') });
  process.stderr.write(compiled ? `compiled src/ to ${OUT}/\n` : '');
}
