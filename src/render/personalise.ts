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
 * Fills the recipient tokens in a rendered email: HTML-escaped in HTML, as is in text. A plain
 * string substitution over the compiled output — never a second MJML compile (DESIGN).
 */
export function personalise(rendered: { html: string; text: string }, recipient: Recipient) {
  const url = recipient.unsubscribeUrl;
  return {
    html: rendered.html.split(TOKENS.unsubscribeUrl).join(escapeHtml(url)),
    text: rendered.text.split(TOKENS.unsubscribeUrl).join(url),
  };
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
