/**
 * MJML's work for an issue's email — compiling its MJML to HTML, validating it at the `strict`
 * level — in one place, loaded only when needed (MJML takes ≈ 0.25 s to load from its bundle,
 * ≈ 0.55 s from node_modules, and ≈ 0.2 s more for its first compile: mjml-modules.ts), and done at most once per MJML source while the result cache is on
 * (`useResultCache`): `check` of an unchanged issue, or `send` after `check`, then never loads MJML.
 */
import type { MJMLMinifyOptions, MJMLParsingOptions } from 'mjml-core';
import { keep, recall, resultKey } from '../cache/results.ts';
import { compileOnThread } from './mjml-early.ts';
import { errorOf, keepBundleCode, mjmlModules, strictErrors, type MjmlError } from './mjml-modules.ts';

export type { MjmlError } from './mjml-modules.ts';

/** What compiling MJML gives: the HTML and the problems found at the level asked for. */
export interface MjmlResult {
  html: string;
  errors: MjmlError[];
}

/** How an issue's email (and every other email nyhetsbrev sends) is compiled. */
export const EMAIL_MJML_OPTIONS: MJMLParsingOptions = {
  validationLevel: 'soft',
  // No web fonts: nothing reader-facing loads third-party assets (DESIGN).
  fonts: {},
  keepComments: false,
  minify: true,
  // The email has no SVG (raw HTML is dropped; the external-link icon is the web page's), and
  // htmlnano loads SVGO for this step alone: ≈ 0.4 s of every process that renders an email.
  // `skipConfigLoading`: htmlnano would otherwise search the working folder and every folder above
  // it for an htmlnano config (an `.htmlnanorc`, a "htmlnano" key in a package.json) and let it
  // change the email. MJML passes these on to htmlnano; its types do not list htmlnano's own.
  minifyOptions: { collapseWhitespace: true, minifySvg: false, skipConfigLoading: true } as MJMLMinifyOptions,
};

/** `mjml2html(mjml, options)`, or its kept result for the same source, options and MJML. */
export async function compileMjml(mjml: string, options: MJMLParsingOptions): Promise<MjmlResult> {
  const key = resultKey('mjml', JSON.stringify(options), mjml);
  const kept = recall(key);
  if (isResult(kept)) return kept;
  const onThread = await compileOnThread(mjml, options);
  if (onThread) {
    keep(resultKey('mjml-validation', mjml), onThread.validation);
    validatedOnThread.set(mjml, onThread.validation);
    if (validatedOnThread.size > 8) validatedOnThread.delete(validatedOnThread.keys().next().value!);
  }
  const compiled = onThread
    ? { html: onThread.html, errors: onThread.errors }
    : await compileHere(mjml, options);
  keep(key, compiled);
  return compiled;
}

async function compileHere(mjml: string, options: MJMLParsingOptions): Promise<MjmlResult> {
  const result = await mjmlModules().mjml2html(mjml, options);
  return { html: result.html, errors: result.errors.map(errorOf) };
}

/**
 * Validates MJML at MJML's `strict` level — the rules `mjml2html` applies, without compiling the
 * email again (a parse and a tree walk) — or gives the kept answer for the same source.
 */
export function validateMjml(mjml: string): MjmlError[] {
  const early = validatedOnThread.get(mjml);
  if (early) return early;
  const key = resultKey('mjml-validation', mjml);
  const kept = recall(key);
  if (Array.isArray(kept) && kept.every(isError)) return kept;
  const errors = strictErrors(mjmlModules(), mjml);
  keep(key, errors);
  return errors;
}

// Strict validation done on the MJML thread with the compile (mjml-early.ts), by MJML source: the
// `mjml` rule then needs no MJML on the main thread. The last few only.
const validatedOnThread = new Map<string, MjmlError[]>();

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

// An email with what nyhetsbrev's templates use (head attributes and styles, sections, columns,
// text with headings, lists, links and a table, a button, a divider, raw HTML, dark-mode CSS).
const WARM_UP = `<mjml lang="sv"><mj-head><mj-title>T</mj-title><mj-preview>P</mj-preview>
<mj-attributes><mj-all font-family="Georgia, serif" /><mj-text font-size="16px" color="#1a1a1a" padding="0 24px" />
<mj-section padding="0" background-color="#ffffff" /></mj-attributes>
<mj-style>@media (prefers-color-scheme: dark) { .sec-card { background: #14181c !important; } }</mj-style>
<mj-style inline="inline">.lead { font-size: 18px; } a { color: #0b5cad; }</mj-style>
<mj-raw><meta name="color-scheme" content="light dark"></mj-raw></mj-head>
<mj-body background-color="#eef1f4" width="600px" css-class="email-body"><mj-raw><div style="display:none">P</div></mj-raw>
<mj-section padding="28px 0 8px" css-class="sec-card"><mj-column>
<mj-text><h1>Rubrik</h1><p class="lead">Ingress med <a href="https://example.org/">en länk</a>.</p>
<ul><li>Ett</li><li>Två</li></ul><table><tr><th>A</th><td>B</td></tr></table></mj-text>
<mj-divider border-width="1px" border-color="#c9d1d9" padding="0 24px 16px" css-class="divider" />
<mj-button href="https://example.org/" align="left" background-color="#0b5cad" color="#ffffff">Läs mer</mj-button>
</mj-column></mj-section></mj-body></mjml>`;

/**
 * Compiles and validates a small email with MJML from its bundle, then keeps V8's code cache of
 * the bundle (see mjml-modules.ts): what bin/vendor.js runs, in a process of its own, after it
 * made the bundle.
 */
export async function warmMjmlBundle(): Promise<void> {
  const { mjml2html } = mjmlModules();
  await mjml2html(WARM_UP, EMAIL_MJML_OPTIONS);
  validateMjml(WARM_UP);
  keepBundleCode();
}
