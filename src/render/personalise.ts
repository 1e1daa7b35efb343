import type { Config } from '../config/schema.ts';

/**
 * Tokens the email is rendered with, replaced per recipient by {@link personalise}. Plain
 * uppercase words, so they survive Handlebars escaping, MJML and minification unchanged.
 */
export const TOKENS = {
  unsubscribeUrl: 'NYHETSBREV_UNSUBSCRIBE_URL',
  preferencesUrl: 'NYHETSBREV_PREFERENCES_URL',
} as const;

/** The name of a recipient token (a key of {@link TOKENS}). */
export type TokenName = keyof typeof TOKENS;

/** The value the build shows in place of a recipient's token. */
export const SAMPLE_TOKEN = 'EXEMPEL';

/** Values for one recipient. */
export type Recipient = Record<TokenName, string>;

/** A URL of `nyhetsbrev serve` with an opaque token: `<endpoint><path>?t=<token>`. */
function endpointUrl(config: Config, path: string, token: string): string {
  const base = config.endpoint ?? new URL('prenumeration/', config.baseUrl).href;
  const url = new URL(path, base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('t', token);
  return url.href;
}

/** The public unsubscribe URL for an opaque token (served by `nyhetsbrev serve`). */
export function unsubscribeUrl(config: Config, token: string): string {
  return endpointUrl(config, 'avregistrera', token);
}

/** The public preferences page URL for an opaque token (served by `nyhetsbrev serve`). */
export function preferencesUrl(config: Config, token: string): string {
  return endpointUrl(config, 'installningar', token);
}

/** The values shown where no recipient is known (builds, previews, test copies): sample tokens. */
export function sampleRecipient(config: Config): Recipient {
  return {
    unsubscribeUrl: unsubscribeUrl(config, SAMPLE_TOKEN),
    preferencesUrl: preferencesUrl(config, SAMPLE_TOKEN),
  };
}

/**
 * A rendered email cut once at its recipient tokens: each recipient's HTML is `html` joined with
 * that recipient's HTML-escaped values, the n-th gap taking the value of the token `htmlSlots[n]`;
 * likewise the text. Cutting once per campaign instead of searching ~70 KB per recipient is what
 * keeps a 100,000-recipient send cheap.
 */
export interface SplitEmail {
  html: readonly string[];
  text: readonly string[];
  htmlSlots: readonly TokenName[];
  textSlots: readonly TokenName[];
}

const NAMES = new Map<string, TokenName>(
  Object.entries(TOKENS).map(([name, token]) => [token, name as TokenName]),
);
const ANY_TOKEN = new RegExp(`(${Object.values(TOKENS).join('|')})`);

function cut(text: string): { parts: string[]; slots: TokenName[] } {
  const pieces = text.split(ANY_TOKEN);
  return {
    parts: pieces.filter((_, index) => index % 2 === 0),
    slots: pieces.filter((_, index) => index % 2 === 1).map((token) => NAMES.get(token)!),
  };
}

/** Cuts a rendered email at its recipient tokens (see {@link SplitEmail}). */
export function splitAtTokens(rendered: { html: string; text: string }): SplitEmail {
  const html = cut(rendered.html);
  const text = cut(rendered.text);
  return { html: html.parts, text: text.parts, htmlSlots: html.slots, textSlots: text.slots };
}

/** The recipient's values as they go between the parts: HTML-escaped in HTML, as is in text. */
export function tokenValues(recipient: Recipient): { html: Recipient; text: Recipient } {
  return {
    html: {
      unsubscribeUrl: escapeHtml(recipient.unsubscribeUrl),
      preferencesUrl: escapeHtml(recipient.preferencesUrl),
    },
    text: { ...recipient },
  };
}

/** Parts joined with the values of their slots (`parts.length === slots.length + 1`). */
export function joinParts(parts: readonly string[], slots: readonly TokenName[], values: Recipient): string {
  let out = parts[0] ?? '';
  for (let index = 1; index < parts.length; index++) out += values[slots[index - 1]!] + parts[index]!;
  return out;
}

/**
 * Fills the recipient tokens in a rendered email: HTML-escaped in HTML, as is in text. A plain
 * string substitution over the compiled output — never a second MJML compile (DESIGN). Without a
 * `preferencesUrl` (builds, previews, test copies show sample tokens) the preferences link is the
 * unsubscribe URL's sibling with the same token, as {@link sampleRecipient} makes it.
 */
export function personalise(
  rendered: { html: string; text: string },
  recipient: Pick<Recipient, 'unsubscribeUrl'> & Partial<Recipient>,
) {
  const split = splitAtTokens(rendered);
  const values = tokenValues({
    unsubscribeUrl: recipient.unsubscribeUrl,
    preferencesUrl:
      recipient.preferencesUrl ?? recipient.unsubscribeUrl.replace('/avregistrera?', '/installningar?'),
  });
  return {
    html: joinParts(split.html, split.htmlSlots, values.html),
    text: joinParts(split.text, split.textSlots, values.text),
  };
}

/**
 * The email with the sample recipient's links ({@link SAMPLE_TOKEN}): what `build` writes to
 * `email/<id>.html` and `.txt`, and what `preview` shows.
 */
export function sampleEmail(rendered: { html: string; text: string }, config: Config) {
  return personalise(rendered, sampleRecipient(config));
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
