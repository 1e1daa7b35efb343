import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.ts';
import type { RenderedEmail } from '../render/email.ts';
import {
  joinParts,
  preferencesUrl,
  SAMPLE_TOKEN,
  splitAtTokens,
  tokenValues,
  unsubscribeUrl,
} from '../render/personalise.ts';
import { verpAddress } from '../bounces/verp.ts';
import { preferencesToken, unsubscribeToken } from '../tokens.ts';
import { listHeaders } from './list-headers.ts';
import { deliveryMessageId } from './message-id.ts';
import type { OutgoingEmail, SharedContent } from './types.ts';

// The List-* headers have their own module; index.ts, test-send.ts and tests import them from here.
export { encodePhrase, listHeaders, listIdOf } from './list-headers.ts';

/** Everything a per-recipient email is derived from, besides the frozen row itself. */
export interface ComposeContext {
  config: Config;
  issueId: string;
  /** The campaign ref (`c12-1a2b3c4d`), or `test` for test copies. */
  campaignRef: string;
  /** The rendered email with its recipient tokens still in place (no MJML per recipient). */
  email: Pick<RenderedEmail, 'subject' | 'html' | 'text'>;
  /** Signs unsubscribe tokens; see secret.ts. */
  secret: string;
  /** The subscriber's token key (`Store.tokenKey`), which binds their link to them; see tokens.ts. */
  tokenKey: (subscriberId: number) => string | undefined;
}

/**
 * The email to one frozen recipient. A pure function of its inputs — the same row, issue, config
 * and secret always give the same bytes, which is what lets a chunk be sent again under the same
 * idempotency key after a crash.
 */
export function composeEmail(
  ctx: ComposeContext,
  row: { position: number; subscriberId: number; email: string },
): OutgoingEmail {
  const { url, values } = recipientLinks(ctx, row.subscriberId);
  const shared = sharedContent(ctx.email);
  const domain = senderDomain(ctx.config.sender.from);
  const email: OutgoingEmail = {
    to: row.email,
    from: ctx.config.sender.from,
    ...(ctx.config.sender.replyTo === undefined ? {} : { replyTo: ctx.config.sender.replyTo }),
    subject: ctx.email.subject,
    // Made when read (SMTP, outbox): the Resend transport and the ledger hash use `personal`.
    get html() {
      return joinParts(shared.html, shared.htmlSlots, values.html);
    },
    get text() {
      return joinParts(shared.text, shared.textSlots, values.text);
    },
    headers: listHeaders(ctx.config, url),
    tags: [
      { name: 'issue', value: tagValue(ctx.issueId) },
      { name: 'campaign', value: tagValue(ctx.campaignRef) },
    ],
    messageId: deliveryMessageId(ctx.secret, ctx.campaignRef, row.position, domain),
    personal: { shared, values },
  };
  const envelopeFrom = verpOf(ctx, row.position);
  if (envelopeFrom !== undefined) email.envelopeFrom = envelopeFrom;
  return email;
}

/** The subscriber's unsubscribe URL, and the values of the email's tokens (their two links). */
function recipientLinks(
  ctx: ComposeContext,
  subscriberId: number,
): { url: string; values: ReturnType<typeof tokenValues> } {
  const tokenKey = ctx.tokenKey(subscriberId);
  const subscriber = tokenKey === undefined ? undefined : { id: subscriberId, tokenKey };
  // Forgotten after the row was read: links that name no one.
  const url = unsubscribeUrl(
    ctx.config,
    subscriber ? unsubscribeToken(ctx.secret, subscriber) : SAMPLE_TOKEN,
  );
  const values = tokenValues({
    unsubscribeUrl: url,
    preferencesUrl: preferencesUrl(
      ctx.config,
      subscriber ? preferencesToken(ctx.secret, subscriber) : SAMPLE_TOKEN,
    ),
  });
  return { url, values };
}

/** The delivery's VERP envelope sender, when `bounces.domain` is set and this is a campaign. */
function verpOf(ctx: ComposeContext, position: number): string | undefined {
  const domain = ctx.config.bounces.domain;
  const id = /^c(\d+)(?:-|$)/.exec(ctx.campaignRef)?.[1];
  if (domain === undefined || id === undefined) return undefined;
  return verpAddress(ctx.secret, domain, { id: Number(id), ref: ctx.campaignRef }, position);
}

const splitEmails = new WeakMap<object, SharedContent>();

/** The email cut at its tokens and hashed, once per rendered email (the same object all run). */
function sharedContent(email: ComposeContext['email']): SharedContent {
  let content = splitEmails.get(email);
  if (!content) {
    content = { ...splitAtTokens(email), sha256: contentSha256(email) };
    splitEmails.set(email, content);
  }
  return content;
}

/** The domain of the sender address (`Name <a@b.se>` → `b.se`), for Message-IDs. */
export function senderDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return (address.split('@').pop() ?? 'localhost').trim().toLowerCase() || 'localhost';
}

/**
 * SHA-256 over a canonical serialisation of a chunk's emails (keys and headers sorted). Equal
 * hashes mean equal provider payloads; the ledger keeps it to notice a chunk that changed. An
 * email made of shared parts (`personal`) is hashed by the parts' content hash and its own
 * values — which determine its HTML and text — instead of ~70 KB of text per recipient.
 */
export function payloadSha256(emails: readonly OutgoingEmail[]): string {
  const hash = createHash('sha256');
  for (const email of emails) {
    const canonical: Record<string, unknown> = {};
    for (const key of Object.keys(email).sort() as (keyof OutgoingEmail)[]) {
      if (email.personal && (key === 'html' || key === 'text')) continue; // not made at all
      if (key === 'headers') canonical[key] = sortKeys(email.headers);
      else if (key === 'personal' && email.personal)
        canonical[key] = { sha256: email.personal.shared.sha256, values: email.personal.values };
      else canonical[key] = email[key];
    }
    hash.update(JSON.stringify(canonical));
  }
  return hash.digest('hex');
}

/**
 * Whether `emails` are the payload a chunk's ledger hash was made of. Chunks started by releases
 * before 2026-12 never match: their links named the subscriber id alone (schema 4 binds them to a
 * per-subscriber key), so their bytes cannot be made again and recovery reports them uncertain
 * rather than send other bytes under their idempotency key.
 */
export function matchesPayloadSha256(emails: readonly OutgoingEmail[], sha256: string | null): boolean {
  return payloadSha256(emails) === sha256;
}

/** SHA-256 of what a campaign's recipients read: subject, HTML and text with the tokens in place. */
export function contentSha256(email: Pick<RenderedEmail, 'subject' | 'html' | 'text'>): string {
  return createHash('sha256')
    .update(JSON.stringify([email.subject, email.html, email.text]))
    .digest('hex');
}

function sortKeys<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}

// Resend tags allow ASCII letters, digits, `_` and `-`; issue ids and refs already are.
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
}
