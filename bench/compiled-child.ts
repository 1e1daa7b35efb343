import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { ROOT, scratch } from './setup.ts';

/**
 * A benchmark's child script (TypeScript importing `../src/…`) compiled to JavaScript that
 * imports the compiled CLI in lib/ instead, so the child runs as `nyhetsbrev` does — without
 * tsx, which adds ≈ 45 MB and its own start-up to every process. lib/ is compiled first if stale.
 * Returns the path of the script to run with `node`.
 */
export async function compiledChild(script: string): Promise<string> {
  const compile = spawnSync(process.execPath, [join(ROOT, 'bin/compile.js'), '--if-stale'], {
    encoding: 'utf8',
  });
  if (compile.status !== 0) throw new Error(`bin/compile.js failed: ${compile.stderr}`);
  const out = join(scratch(`compiled-${script.replace(/\W/g, '-')}`), 'child.mjs');
  await build({
    entryPoints: [join(ROOT, 'bench', script)],
    outfile: out,
    bundle: true,
    plugins: [toLib],
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    logLevel: 'warning',
  });
  return out;
}

// `../src/x.ts` → lib/x.js of this repository; bench/'s own `./x.mjs` → its file; every other
// import left to Node.
const toLib: Plugin = {
  name: 'to-lib',
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, ({ kind, path }) => {
      if (kind === 'entry-point') return undefined;
      const source = /^\.\.\/src\/(.+)\.ts$/.exec(path);
      if (source) return { path: pathToFileURL(join(ROOT, 'lib', `${source[1]!}.js`)).href, external: true };
      const own = /^\.\/([\w-]+\.mjs)$/.exec(path);
      if (own) return { path: pathToFileURL(join(ROOT, 'bench', own[1]!)).href, external: true };
      return { path, external: true };
    });
  },
};
