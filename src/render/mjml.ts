/**
 * MJML's work for an issue's email — compiling its MJML to HTML, validating it at the `strict`
 * level — in one place, loaded only when needed (MJML takes ≈ 0.6 s to import and ≈ 0.4 s more
 * for its first compile), and done at most once per MJML source while the result cache is on
 * (`useResultCache`): `check` of an unchanged issue, or `send` after `check`, then never loads MJML.
 */
import { createRequire } from 'node:module';
import type { MJMLParsingOptions } from 'mjml-core';
import { keep, recall, resultKey } from '../cache/results.ts';
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

const require = createRequire(import.meta.url);

/** `mjml2html(mjml, options)`, or its kept result for the same source, options and MJML. */
export async function compileMjml(mjml: string, options: MJMLParsingOptions): Promise<MjmlResult> {
  const key = resultKey('mjml', JSON.stringify(options), mjml);
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
  const key = resultKey('mjml-validation', mjml);
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
