// MJML and the tool chain it loads (juice, cheerio, htmlnano, cssnano's lite preset, lodash …) as
// one CommonJS file, lib/vendor/mjml.cjs, made by bin/compile.js from the installed packages.
// Loading MJML from node_modules reads and compiles ~880 CommonJS files (≈ 0.55 s of CPU before the
// first email, ≈ 0.25 s more for the first compile); the bundle loads in about half of that. The
// bundle is optional: src/render/mjml-modules.ts uses it only when its key matches the packages
// installed now, and loads MJML from node_modules otherwise — same code, same bytes out.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** The bundle and its key, relative to the package folder. */
export const VENDOR = {
  bundle: 'lib/vendor/mjml.cjs',
  key: 'lib/vendor/mjml.key',
  // V8's code cache of the bundle, made after a first email (src/render/mjml-modules.ts).
  codeCache: 'lib/vendor/mjml.v8',
  // Which npm packages the bundle holds code of (the tests trace what a command loads with it).
  packages: 'lib/vendor/packages.json',
};

// What the bundle exports: MJML's compiler and the parts `validateMjml` uses, from one mjml-core
// (loading `mjml` registers the components in mjml-core's registry, which the validator reads).
const ENTRY = `
const mjml2html = require('mjml');
const validator = require('mjml-validator');
module.exports = {
  mjml2html,
  core: require('mjml-core'),
  validate: validator.default,
  dependencies: validator.dependencies,
  parseXml: require('mjml-parser-xml'),
};
`;

// Required at the top of modules MJML loads, but only used on paths nyhetsbrev never takes:
// cheerio's `fromURL`/streams/buffers (undici, parse5-parser-stream, encoding-sniffer,
// whatwg-encoding), juice's `juiceResources` (web-resource-inliner), `beautify: true`
// (js-beautify), htmlnano's config-file search (cosmiconfig, and through it typescript) — the
// email passes `skipConfigLoading`. In the bundle each is a stand-in that throws when used.
const LEFT_OUT = [
  'cosmiconfig',
  'encoding-sniffer',
  'js-beautify',
  'parse5-parser-stream',
  'typescript',
  'undici',
  'web-resource-inliner',
  'whatwg-encoding',
];

const notFound = (name) =>
  `Promise.reject(Object.assign(new Error('Cannot find module ' + ${name}), { code: 'MODULE_NOT_FOUND' }))`;

// Edits that make dynamic loading static. Each must apply, or no bundle is made (see makeVendor).
// htmlnano imports its optional dependencies by name at run time (cssnano and postcss are the ones
// the email's options use; any other is "not installed", as htmlnano then says). cssnano loads its
// default preset (SVGO, browserslist, caniuse-lite) at the top though MJML hands it the lite one: it
// stays in node_modules, loaded the first time it is called.
const EDITS = [
  {
    file: /node_modules\/htmlnano\/dist\/index\.js$/,
    from: 'await import(dependency);',
    to: `await (dependency === 'cssnano' || dependency === 'postcss' ? require(dependency === 'cssnano' ? 'cssnano' : 'postcss') : ${notFound('dependency')});`,
  },
  {
    file: /node_modules\/htmlnano\/dist\/helpers\.js$/,
    from: 'await import(moduleName);',
    to: `await (moduleName === 'cssnano' ? require('cssnano') : moduleName === 'postcss' ? require('postcss') : ${notFound('moduleName')});`,
  },
  {
    file: /node_modules\/cssnano\/src\/index\.js$/,
    from: "const defaultPreset = require('cssnano-preset-default');",
    to: "const defaultPreset = (...args) => require('cssnano-preset-default')(...args);",
  },
];

/**
 * Makes lib/vendor/mjml.cjs unless it was made by this recipe from the package versions installed
 * now. When an edit no longer applies (a new htmlnano or cssnano), it removes the bundle and says
 * so: nyhetsbrev then loads MJML from node_modules, slower but the same.
 * @param {string} root the package folder
 * @returns {Promise<'fresh' | 'made' | 'skipped'>}
 */
export async function makeVendor(root) {
  // A package without nyhetsbrev's MJML loader (bin/'s own tests compile a tiny one) needs none.
  if (!existsSync(join(root, 'lib/render/mjml-modules.js'))) return 'skipped';
  const recipe = createHash('sha256')
    .update(readFileSync(new URL(import.meta.url)))
    .digest('hex');
  const keyFile = join(root, VENDOR.key);
  const kept = readKey(keyFile);
  const bundle = join(root, VENDOR.bundle);
  if (
    kept?.recipe === recipe &&
    kept.node === process.version &&
    existsSync(bundle) &&
    versionsMatch(root, kept.packages)
  ) {
    return 'fresh';
  }
  rmSync(keyFile, { force: true });
  rmSync(join(root, VENDOR.codeCache), { force: true });
  /** @type {Set<object>} */
  const applied = new Set();
  let result;
  try {
    result = await build({
      absWorkingDir: root,
      stdin: { contents: ENTRY, resolveDir: root, loader: 'js', sourcefile: 'vendor-entry.cjs' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20.19',
      external: ['cssnano-preset-default'],
      plugins: [leaveOut, edit(applied)],
      write: false,
      metafile: true,
      logLevel: 'silent',
      legalComments: 'none',
    });
  } catch (error) {
    return skip(root, `bundling failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (applied.size !== EDITS.length) {
    const missing = EDITS.filter((change) => !applied.has(change)).map((change) => change.file.source);
    return skip(root, `an edit no longer applies (${missing.join(', ')})`);
  }
  mkdirSync(join(bundle, '..'), { recursive: true });
  // Each file replaced atomically, through a temporary file of this process: two compiles at once
  // (the tests' global setup and a user's `npm run compile`) must neither rename each other's
  // temporary file away nor let a reader see half of one.
  writeAtomically(bundle, result.outputFiles[0].contents);
  const packages = packageVersions(root, Object.keys(result.metafile.inputs));
  const names = [...new Set(Object.keys(packages).map((folder) => folder.replace(/^.*node_modules\//, '')))];
  writeAtomically(
    join(root, VENDOR.packages),
    `${JSON.stringify({ 'vendor/mjml.cjs': names.sort() }, null, 1)}\n`,
  );
  writeAtomically(keyFile, `${JSON.stringify({ recipe, node: process.version, packages }, null, 1)}\n`);
  warmUp(root);
  return 'made';
}

/**
 * @param {string} path
 * @param {string | Uint8Array} contents
 */
function writeAtomically(path, contents) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/**
 * Compiles a first email with the bundle in a process of its own, which then writes V8's code
 * cache of the bundle (src/render/mjml.ts `warmMjmlBundle`). Without it the bundle still works,
 * compiled at each start.
 * @param {string} root
 */
function warmUp(root) {
  const mjml = pathToFileURL(join(root, 'lib/render/mjml.js')).href;
  const run = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', `await (await import(${JSON.stringify(mjml)})).warmMjmlBundle();`],
    { cwd: root, encoding: 'utf8', env: { ...process.env, NYHETSBREV_CACHE: 'off' } },
  );
  if (run.status !== 0) {
    process.stderr.write(`nyhetsbrev: no code cache for the MJML bundle (slower start): ${run.stderr}\n`);
  }
}

/**
 * The bundle's key (lib/vendor/mjml.key, JSON): the recipe (a hash of this file) and the version of
 * every package folder the bundle holds code of. src/render/mjml-modules.ts compares the versions
 * with the installed ones before it uses the bundle (a version check, so `npm prune`, which
 * rewrites the lockfile, keeps it).
 * @param {string} keyFile
 * @returns {{ recipe: string, node: string, packages: Record<string, string> } | undefined}
 */
function readKey(keyFile) {
  const key = readJson(keyFile);
  if (typeof key !== 'object' || key === null) return undefined;
  const { recipe, node, packages } = /** @type {Record<string, unknown>} */ (key);
  if (typeof recipe !== 'string' || typeof node !== 'string' || typeof packages !== 'object' || !packages) {
    return undefined;
  }
  return { recipe, node, packages: /** @type {Record<string, string>} */ (packages) };
}

/**
 * @param {string} path
 * @returns {unknown} the file's JSON, undefined when it cannot be read
 */
export function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Package folder (relative to root, e.g. node_modules/juice/node_modules/cheerio) → version.
 * @param {string} root
 * @param {string[]} inputs the bundle's input files, relative to root
 * @returns {Record<string, string | undefined>}
 */
function packageVersions(root, inputs) {
  /** @type {Set<string>} */
  const folders = new Set();
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match?.[1]) folders.add(match[1]);
  }
  /** @type {Record<string, string | undefined>} */
  const versions = {};
  for (const folder of [...folders].sort()) versions[folder] = versionOf(root, folder);
  return versions;
}

/**
 * @param {string} root
 * @param {Record<string, string> | undefined} packages
 */
function versionsMatch(root, packages) {
  return Object.entries(packages ?? {}).every(([folder, version]) => versionOf(root, folder) === version);
}

/**
 * @param {string} root
 * @param {string} folder
 * @returns {string | undefined}
 */
function versionOf(root, folder) {
  const manifest = readJson(join(root, folder, 'package.json'));
  if (typeof manifest !== 'object' || manifest === null || !('version' in manifest)) return undefined;
  return typeof manifest.version === 'string' ? manifest.version : undefined;
}

/** @type {import('esbuild').Plugin} */
const leaveOut = {
  name: 'leave-out',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, ({ path }) => {
      const name = path
        .split('/')
        .slice(0, path.startsWith('@') ? 2 : 1)
        .join('/');
      return LEFT_OUT.includes(name) ? { path: name, namespace: 'left-out' } : undefined;
    });
    builder.onLoad({ filter: /.*/, namespace: 'left-out' }, ({ path }) => ({
      loader: 'js',
      contents: `const fail = () => { throw new Error(${JSON.stringify(`${path} is not in nyhetsbrev's MJML bundle (bin/vendor.js)`)}); };
module.exports = new Proxy(fail, { get: (target, key) => (key === '__esModule' ? false : fail) });`,
    }));
  },
};

/**
 * @param {Set<object>} applied the edits that found their text
 * @returns {import('esbuild').Plugin}
 */
function edit(applied) {
  return {
    name: 'edit',
    setup(builder) {
      builder.onLoad({ filter: /node_modules\/(htmlnano|cssnano)\/.*\.js$/ }, ({ path }) => {
        const changes = EDITS.filter((change) => change.file.test(path));
        if (changes.length === 0) return undefined;
        let contents = readFileSync(path, 'utf8');
        for (const change of changes) {
          if (!contents.includes(change.from)) continue;
          contents = contents.replace(change.from, change.to);
          applied.add(change);
        }
        return { contents, loader: 'js' };
      });
    },
  };
}

/**
 * @param {string} root
 * @param {string} reason
 * @returns {'skipped'}
 */
function skip(root, reason) {
  rmSync(join(root, VENDOR.bundle), { force: true });
  process.stderr.write(`nyhetsbrev: no MJML bundle (${reason}); MJML loads from node_modules, slower.\n`);
  return 'skipped';
}
