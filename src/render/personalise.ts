import type { Config } from '../config/schema.ts';

/**
 * Tokens the email is rendered with, replaced per recipient by {@link personalise}. Plain
 * uppercase words, so they survive Handlebars escaping, MJML and minification unchanged.
 */
export const TOKENS = { unsubscribeUrl: 'NYHETSBREV_UNSUBSCRIBE_URL' } as const;

/** The value the build shows in place of a recipient's token. */
export const SAMPLE_TOKEN = 'EXEMPEL';

/** Values for one recipient. */
export interface Recipient {
  unsubscribeUrl: string;
}

/** The public unsubscribe URL for an opaque token (served by `nyhetsbrev serve`). */
export function unsubscribeUrl(config: Config, token: string): string {
  const base = config.endpoint ?? new URL('prenumeration/', config.baseUrl).href;
  const url = new URL('avregistrera', base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('t', token);
  return url.href;
}

/**
 * A rendered email cut once at its recipient token: each recipient's HTML is `html` joined with
 * that recipient's HTML-escaped value, and likewise the text. Cutting once per campaign instead
 * of searching ~70 KB per recipient is what keeps a 100,000-recipient send cheap.
 */
export interface SplitEmail {
  html: readonly string[];
  text: readonly string[];
}

/** Cuts a rendered email at its recipient token (see {@link SplitEmail}). */
export function splitAtTokens(rendered: { html: string; text: string }): SplitEmail {
  return {
    html: rendered.html.split(TOKENS.unsubscribeUrl),
    text: rendered.text.split(TOKENS.unsubscribeUrl),
  };
}

/** The recipient's values as they go between the parts: HTML-escaped in HTML, as is in text. */
export function tokenValues(recipient: Recipient): { html: string; text: string } {
  return { html: escapeHtml(recipient.unsubscribeUrl), text: recipient.unsubscribeUrl };
}

/**
 * Fills the recipient tokens in a rendered email: HTML-escaped in HTML, as is in text. A plain
 * string substitution over the compiled output — never a second MJML compile (DESIGN).
 */
export function personalise(rendered: { html: string; text: string }, recipient: Recipient) {
  const split = splitAtTokens(rendered);
  const values = tokenValues(recipient);
  return { html: split.html.join(values.html), text: split.text.join(values.text) };
}

/**
 * The email with the sample recipient's links ({@link SAMPLE_TOKEN}): what `build` writes to
 * `email/<id>.html` and `.txt`, and what `preview` shows.
 */
export function sampleEmail(rendered: { html: string; text: string }, config: Config) {
  return personalise(rendered, { unsubscribeUrl: unsubscribeUrl(config, SAMPLE_TOKEN) });
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
