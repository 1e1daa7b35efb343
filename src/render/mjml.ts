/**
 * MJML's work for an issue's email — compiling its MJML to HTML, validating it at the `strict`
 * level — in one place, loaded only when needed (MJML takes ≈ 0.6 s to import and ≈ 0.4 s more
 * for its first compile), and done at most once per MJML source when a command turns the result
 * cache on ({@link useMjmlCache}): `check` of an unchanged issue, `send` after `check`, a rebuild
 * with `--emails` then never load MJML at all. The library's callers and the tests compile every
 * time unless they turn it on too.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MJMLParsingOptions } from 'mjml-core';
import { pruneLeastRecent } from '../cache/prune.ts';
import { deferCssnanoDefaultPreset } from './lazy-css-preset.ts';

/** A problem as MJML reports it, at a line of the generated MJML. */
export interface MjmlError {
  line: number;
  message: string;
  tagName: string;
}

/** What compiling MJML gives: the HTML and the problems found at the level asked for. */
export interface MjmlResult {
  html: string;
  errors: MjmlError[];
}

// Bump when what is kept, or how it is keyed, changes.
const FORMAT = 1;
// Results kept; the least recently used beyond this are removed when one is written.
const MAX_ENTRIES = 400;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

let cacheDir: string | false = false;
let toolKey: string | undefined;

/**
 * Keeps MJML's results in `<dir>/mjml/` (a build cache folder, see `defaultCacheDir`), or
 * nowhere with `false` (the default).
 */
export function useMjmlCache(dir: string | false): void {
  cacheDir = dir;
}

/** `mjml2html(mjml, options)`, or its kept result for the same source, options and MJML. */
export async function compileMjml(mjml: string, options: MJMLParsingOptions): Promise<MjmlResult> {
  const key = resultKey('html', `${JSON.stringify(options)}\0${mjml}`);
  const kept = recall(key);
  if (isResult(kept)) return kept;
  deferCssnanoDefaultPreset();
  const { default: mjml2html } = await import('mjml');
  const result = await mjml2html(mjml, options);
  const compiled = { html: result.html, errors: result.errors.map(errorOf) };
  keep(key, compiled);
  return compiled;
}

/**
 * Validates MJML at MJML's `strict` level — the rules `mjml2html` applies, without compiling the
 * email again (a parse and a tree walk) — or gives the kept answer for the same source.
 */
export function validateMjml(mjml: string): MjmlError[] {
  const key = resultKey('validation', mjml);
  const kept = recall(key);
  if (Array.isArray(kept) && kept.every(isError)) return kept;
  const { core, validate, dependencies, parseXml } = mjmlModules();
  const tree = parseXml(mjml, { keepComments: false, components: core.components, ignoreIncludes: true });
  const errors = validate(tree, {
    components: core.components,
    dependencies,
    initializeType: core.initializeType,
  }).map(errorOf);
  keep(key, errors);
  return errors;
}

type ParseXml = (mjml: string, options: object) => unknown;
type Validate = (tree: unknown, options: object) => MjmlError[];

interface MjmlModules {
  core: { components: object; initializeType: unknown };
  validate: Validate;
  dependencies: object;
  parseXml: ParseXml;
}

let modules: MjmlModules | undefined;

// mjml-validator and mjml-parser-xml are CommonJS without types. Loading `mjml` registers the core
// components (mj-section, mj-text …) in mjml-core's registry, which the validator needs.
function mjmlModules(): MjmlModules {
  if (!modules) {
    deferCssnanoDefaultPreset();
    require('mjml');
    const validator = require('mjml-validator') as { default: Validate; dependencies: object };
    modules = {
      core: require('mjml-core') as MjmlModules['core'],
      validate: validator.default,
      dependencies: validator.dependencies,
      parseXml: require('mjml-parser-xml') as ParseXml, // `module.exports = parse`
    };
  }
  return modules;
}

function errorOf({ line, message, tagName }: MjmlError): MjmlError {
  return { line, message, tagName };
}

function isError(value: unknown): value is MjmlError {
  const error = value as Partial<MjmlError> | null;
  return (
    typeof error?.line === 'number' && typeof error.message === 'string' && typeof error.tagName === 'string'
  );
}

function isResult(value: unknown): value is MjmlResult {
  const result = value as Partial<MjmlResult> | undefined;
  return typeof result?.html === 'string' && Array.isArray(result.errors) && result.errors.every(isError);
}

/**
 * The key of a result: what was asked (`kind`, `source`), and what answers it — MJML and every
 * package it uses as installed (the lockfile npm keeps in node_modules) and Node.
 */
function resultKey(kind: string, source: string): string | undefined {
  if (cacheDir === false) return undefined;
  toolKey ??= installedKey();
  return createHash('sha256').update(`${FORMAT}\0${toolKey}\0${kind}\0`).update(source).digest('hex');
}

function installedKey(): string {
  const hash = createHash('sha256').update(`node ${process.version}\0`);
  for (const path of ['node_modules/.package-lock.json', 'package-lock.json']) {
    if (!existsSync(join(ROOT, path))) continue;
    hash.update(readFileSync(join(ROOT, path)));
    break;
  }
  return hash.digest('hex');
}

function entryPath(key: string): string {
  return join(cacheDir as string, 'mjml', `${key}.json`);
}

// A missing, damaged or foreign entry is a miss; a hit refreshes its time (see `pruneLeastRecent`).
function recall(key: string | undefined): unknown {
  if (key === undefined) return undefined;
  try {
    const path = entryPath(key);
    const value = (JSON.parse(readFileSync(path, 'utf8')) as { key?: unknown; value?: unknown } | null) ?? {};
    if (value.key !== key) return undefined;
    const now = new Date();
    utimesSync(path, now, now);
    return value.value;
  } catch {
    return undefined;
  }
}

// Written to a temporary file renamed into place; failing to write only loses the speed-up.
function keep(key: string | undefined, value: unknown): void {
  if (key === undefined) return;
  const path = entryPath(key);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const dir = join(cacheDir as string, 'mjml');
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, JSON.stringify({ key, value }));
    renameSync(temporary, path);
    const entries = readdirSync(dir).filter((name) => name.endsWith('.json'));
    if (entries.length > MAX_ENTRIES)
      pruneLeastRecent(
        entries.map((name) => join(dir, name)),
        MAX_ENTRIES,
        (stale) => rmSync(stale, { force: true }),
      );
  } catch {
    rmSync(temporary, { force: true });
  }
}
