/**
 * Where MJML is loaded from: the bundle bin/vendor.js makes (lib/vendor/mjml.cjs, ≈ half the
 * load time of MJML's ~880 files) when it was made from the packages installed now, else
 * node_modules. Both give the same modules; the choice is made once per process.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { constants as vmConstants, Script } from 'node:vm';
import type { MJMLParseResults, MJMLParsingOptions } from 'mjml-core';
import { ROOT } from '../cache/fingerprint.ts';
import { deferCssnanoDefaultPreset } from './lazy-css-preset.ts';

/** A problem as MJML reports it, at a line of the generated MJML. */
export interface MjmlError {
  line: number;
  message: string;
  tagName: string;
}

/** An MJML problem as plain data: its line, message and tag (MJML's objects carry more). */
export function errorOf({ line, message, tagName }: MjmlError): MjmlError {
  return { line, message, tagName };
}

type ParseXml = (mjml: string, options: object) => unknown;
type Validate = (tree: unknown, options: object) => MjmlError[];

/** MJML's compiler and the parts of it that validation uses, all from one mjml-core. */
export interface MjmlModules {
  mjml2html: (mjml: string, options: MJMLParsingOptions) => Promise<MJMLParseResults>;
  core: { components: object; initializeType: unknown };
  validate: Validate;
  dependencies: object;
  parseXml: ParseXml;
}

/** The bundle, its key and V8's code cache for it, as bin/vendor.js writes them. */
const VENDOR = { bundle: 'lib/vendor/mjml.cjs', key: 'lib/vendor/mjml.key', codeCache: 'lib/vendor/mjml.v8' };

const require = createRequire(import.meta.url);
let modules: MjmlModules | undefined;
let bundleScript: Script | undefined;

/** MJML, from the bundle when it matches the installed packages, else from node_modules. */
export function mjmlModules(): MjmlModules {
  modules ??= vendorIsFresh() ? fromBundle(ROOT) : fromNodeModules();
  return modules;
}

/**
 * Where this process's MJML came from (undefined before it was needed): node_modules, the bundle
 * compiled at start, or the bundle with V8's code cache accepted.
 */
export function mjmlSource(): 'node_modules' | 'bundle' | 'bundle with code cache' | undefined {
  if (!modules) return undefined;
  if (!bundleScript) return 'node_modules';
  return bundleScript.cachedDataRejected === false ? 'bundle with code cache' : 'bundle';
}

/** MJML as the bundle gives it and as node_modules gives it, side by side (for tests). */
export function mjmlModulesFrom(source: 'bundle' | 'node_modules'): MjmlModules {
  return source === 'bundle' ? fromBundle(ROOT) : fromNodeModules();
}

/**
 * Runs the bundle as Node runs a CommonJS file, compiled with V8's code cache for it when there is
 * one (made by bin/vendor.js after a first email, so it holds the functions an email needs: ≈ 0.1 s
 * less compiling). V8 checks that the cache fits this V8, its flags and the source, and compiles
 * anew when not (`cachedDataRejected`). The cache lives in lib/, beside the code it is made from.
 */
function fromBundle(root: string): MjmlModules {
  const file = join(root, VENDOR.bundle);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(join(root, VENDOR.codeCache));
  } catch {
    cachedData = undefined;
  }
  bundleScript = new Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
    // An `import()` the bundle still holds (htmlnano's ES module half, lilconfig's async loader:
    // not on the email's paths) then loads as from a required file, instead of throwing
    // ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING. V8 accepts the code cache the same — though on
    // Node 20 a script compiled from the cache was seen to lose this callback, so such an
    // `import()` may still throw there; none is reached with EMAIL_MJML_OPTIONS.
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = new Module(file);
  module.filename = file;
  const run = bundleScript.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  // In Node's module cache like any required file (a later `require` of it gets this one).
  require.cache[file] = module;
  const bundled = module.exports as MjmlModules;
  return { ...bundled, mjml2html: withFallback(bundled.mjml2html) };
}

/**
 * The bundle leaves out modules MJML loads but never uses on nyhetsbrev's paths (bin/vendor.js
 * LEFT_OUT); each throws when used. Should some email take such a path after all, it is compiled
 * again by MJML from node_modules (and so is every later one in this process), not failed.
 */
function withFallback(compile: MjmlModules['mjml2html']): MjmlModules['mjml2html'] {
  return async (mjml, options) => {
    try {
      return await compile(mjml, options);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes(LEFT_OUT)) throw error;
      modules = fromNodeModules();
      bundleScript = undefined;
      return modules.mjml2html(mjml, options);
    }
  };
}

// What the stand-ins of left-out modules say when used (bin/vendor.js).
const LEFT_OUT = "is not in nyhetsbrev's MJML bundle";

/**
 * Writes V8's code cache of the bundle as it is now — after the work done so far compiled the
 * functions it needed — for the next processes (bin/vendor.js, once, after a first email).
 */
export function keepBundleCode(root = ROOT): void {
  if (!bundleScript) throw new Error('the MJML bundle was not loaded');
  const path = join(root, VENDOR.codeCache);
  writeFileSync(`${path}.${process.pid}.tmp`, bundleScript.createCachedData());
  renameSync(`${path}.${process.pid}.tmp`, path);
}

/**
 * True when the bundle in `root` was made from the package versions installed there now: its key
 * (bin/vendor.js) names every package folder it holds code of, with the version it was made from.
 */
export function vendorIsFresh(root = ROOT): boolean {
  if (process.env.NYHETSBREV_MJML_BUNDLE === 'off' || !existsSync(join(root, VENDOR.bundle))) return false;
  let packages: Record<string, string>;
  try {
    ({ packages } = JSON.parse(readFileSync(join(root, VENDOR.key), 'utf8')) as {
      packages: Record<string, string>;
    });
  } catch {
    return false;
  }
  const folders = Object.entries(packages);
  return (
    folders.length > 0 && folders.every(([folder, version]) => installedVersion(root, folder) === version)
  );
}

function installedVersion(root: string, folder: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8')) as { version?: string })
      .version;
  } catch {
    return undefined;
  }
}

// mjml-validator and mjml-parser-xml are CommonJS without types. Loading `mjml` registers the core
// components (mj-section, mj-text …) in mjml-core's registry, which the validator needs.
function fromNodeModules(): MjmlModules {
  deferCssnanoDefaultPreset();
  const validator = require('mjml-validator') as { default: Validate; dependencies: object };
  return {
    mjml2html: require('mjml') as MjmlModules['mjml2html'],
    core: require('mjml-core') as MjmlModules['core'],
    validate: validator.default,
    dependencies: validator.dependencies,
    parseXml: require('mjml-parser-xml') as ParseXml, // `module.exports = parse`
  };
}

/** MJML's problems with `mjml` at its `strict` level: a parse and MJML's validator, no compile. */
export function strictErrors(modules: MjmlModules, mjml: string): MjmlError[] {
  const { core, validate, dependencies, parseXml } = modules;
  const tree = parseXml(mjml, { keepComments: false, components: core.components, ignoreIncludes: true });
  return validate(tree, {
    components: core.components,
    dependencies,
    initializeType: core.initializeType,
  }).map(errorOf);
}
