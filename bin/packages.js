// How bin/compile.js treats the npm packages src/ imports: an ES module package is bundled into
// lib/ (each of its modules in one shared chunk under lib/chunks/, or in the one file of lib/ that
// uses it), so a command loads a few chunks instead of hundreds of package files (≈ 0.25 s less
// start-up for `check`). CommonJS packages, node: built-ins and the packages in KEEP stay imports
// that Node resolves at run time, as before.
import { existsSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { readJson } from './vendor.js';

/** ES module packages that find their own files at run time (import.meta.url): left to Node. */
export const KEEP = ['pagefind'];

/**
 * CommonJS packages that ship the same code as ES modules too (as their browser build): bundled
 * from that build. yaml's ≈ 75 CommonJS files took `check` ≈ 50–100 ms to load; its ES build,
 * bundled, ≈ 5–10 ms. (It differs where nyhetsbrev does not go: a warning goes to console.warn,
 * `!!binary` gives a Uint8Array, the LOG_TOKENS/LOG_STREAM debug variables are ignored.)
 */
export const ESM_BUILDS = /** @type {Record<string, string>} */ ({ yaml: 'browser/dist/index.js' });

/** lib/packages.json: which npm packages each file of lib/ holds code of (tests trace loading with it). */
export const PACKAGES = 'packages.json';

const RESOLVING = Symbol('resolving');

/**
 * The esbuild plugin: relative `.ts` specifiers of src/ point at the compiled `.js`, left to Node;
 * package imports are bundled or left as above. A bundled module that imports a CommonJS file
 * Node would not find from lib/ (a package's own .cjs file, a nested dependency) cannot stay in
 * the bundle, which has no `require`: its package is added to `kept`, and bin/compile.js builds
 * again with it left to Node.
 * @param {Set<string>} kept package names (as under node_modules/) left to Node
 * @returns {import('esbuild').Plugin}
 */
export function packageImports(kept) {
  return {
    name: 'package-imports',
    setup(builder) {
      const root = builder.initialOptions.absWorkingDir ?? process.cwd();
      builder.onResolve({ filter: /.*/ }, async ({ kind, path, importer, resolveDir, pluginData }) => {
        if (kind === 'entry-point' || pluginData === RESOLVING) return undefined;
        const fromPackage = packageOf(importer);
        const relativePath = /^\.\.?\//.test(path);
        if (relativePath && !fromPackage) {
          return { path: path.endsWith('.ts') ? `${path.slice(0, -3)}.js` : path, external: true };
        }
        if (path.startsWith('node:') || isBuiltin(path)) return { path, external: true };
        const esmBuild = fromPackage ? undefined : ESM_BUILDS[path];
        if (esmBuild) return { path: join(root, 'node_modules', path, esmBuild) };
        const resolved = await builder.resolve(path, { kind, importer, resolveDir, pluginData: RESOLVING });
        const target = resolved.path ? packageOf(resolved.path) : undefined;
        if (resolved.errors.length > 0 || !target) return { path, external: true };
        if (isEsm(resolved.path) && !kept.has(target)) return undefined;
        if (!fromPackage) return { path, external: true };
        if (!relativePath) {
          const fromRoot = await builder.resolve(path, { kind, resolveDir: root, pluginData: RESOLVING });
          if (fromRoot.path === resolved.path) return { path, external: true };
        }
        kept.add(fromPackage);
        return { path, external: true };
      });
    },
  };
}

/**
 * Which npm packages each output file holds code of.
 * @param {import('esbuild').Metafile} metafile
 * @param {string} root the package folder (metafile paths are relative to it)
 * @param {string} out the output folder
 * @returns {Record<string, string[]>} output file (relative to `out`) → package names, for files with any
 */
export function packagesIn(metafile, root, out) {
  /** @type {Record<string, string[]>} */
  const files = {};
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    /** @type {Set<string>} */
    const names = new Set();
    for (const input of Object.keys(inputs)) {
      const name = packageOf(join(root, input));
      if (name) names.add(name);
    }
    if (names.size > 0) files[relative(out, join(root, output))] = [...names].sort();
  }
  return files;
}

/**
 * The package a file is in, named as under the last node_modules/ of its path ('zod', '@scope/x').
 * @param {string} file
 * @returns {string | undefined}
 */
function packageOf(file) {
  const marker = `${sep}node_modules${sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return undefined;
  const [first = '', second = ''] = file.slice(at + marker.length).split(sep);
  return first.startsWith('@') ? `${first}/${second}` : first;
}

/**
 * True for a file of a package that declares itself ES modules (`"type": "module"`); dual packages
 * whose `.mjs` wraps CommonJS (commander) stay imports.
 * @param {string} file
 * @returns {boolean}
 */
function isEsm(file) {
  if (!/\.m?js$/.test(file)) return false;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const json = readJson(manifest);
      return typeof json === 'object' && json !== null && 'type' in json && json.type === 'module';
    }
  }
  return false;
}
