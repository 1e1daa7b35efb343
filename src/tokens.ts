import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Opaque, signed links for readers. An unsubscribe token names a subscriber by id and by their
 * token key (`subscribers.token_key`, random per person; never the address) and carries an
 * HMAC-SHA256 over purpose and both with a key derived from the deployment secret, so it cannot be
 * forged or pointed at someone else. The key dies with the person: once they are forgotten no row
 * holds it, so their old links act on no one. It does not expire: an unsubscribe link in a
 * years-old email must still work (RFC 8058 expects that).
 *
 * Format: `<base64url(id.key)>.<base64url(first 16 bytes of HMAC)>`. Links sent before schema 4
 * carry the id alone (`<base64url(id)>.<…>`, "v1"); when they still work is decided per subscriber
 * by migration 4 (migrations.ts).
 */

/** The minimum secret length `serve` and real sends accept (bytes). */
export const MIN_SECRET_BYTES = 32;

/** What a subscriber's token key looks like (`lower(hex(randomblob(16)))`, see migrations.ts). */
const TOKEN_KEY = /^[0-9a-f]{32}$/;

function key(secret: string, purpose: string): Buffer {
  return createHmac('sha256', secret).update(`nyhetsbrev/token/${purpose}/v1`).digest();
}

function sign(secret: string, purpose: string, payload: string): string {
  return createHmac('sha256', key(secret, purpose))
    .update(payload)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** Who an unsubscribe token was made for, once its signature checks out. */
export interface UnsubscribeClaim {
  subscriberId: number;
  /** The subscriber's token key, or null for a link sent before schema 4 (the id alone). */
  tokenKey: string | null;
}

/**
 * The unsubscribe token of a subscriber. Deterministic: the same id, key and secret give the same
 * token (a chunk retried after a crash must be byte-identical). Throws on a malformed key (a bug).
 */
export function unsubscribeToken(secret: string, subscriber: { id: number; tokenKey: string }): string {
  if (!TOKEN_KEY.test(subscriber.tokenKey))
    throw new Error(`Malformed token key of subscriber ${subscriber.id}`);
  return signedToken(secret, 'unsubscribe', `${subscriber.id}.${subscriber.tokenKey}`);
}

/**
 * The claim of a validly signed unsubscribe token, or undefined for a tampered or foreign one.
 * The caller must still find a subscriber that matches it (see serve/unsubscribe.ts).
 */
export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeClaim | undefined {
  const payload = verifySignedToken(secret, 'unsubscribe', token);
  const match = payload?.match(/^([1-9]\d{0,15})(?:\.([0-9a-f]{32}))?$/);
  if (!match) return undefined;
  return { subscriberId: Number(match[1]), tokenKey: match[2] ?? null };
}

/**
 * The preferences token of a subscriber: like the unsubscribe token (bound to the token key, no
 * expiry), but signed for another purpose, so neither works in place of the other.
 */
export function preferencesToken(secret: string, subscriber: { id: number; tokenKey: string }): string {
  if (!TOKEN_KEY.test(subscriber.tokenKey))
    throw new Error(`Malformed token key of subscriber ${subscriber.id}`);
  return signedToken(secret, 'preferences', `${subscriber.id}.${subscriber.tokenKey}`);
}

/** The subscriber a validly signed preferences token names, or undefined for a tampered one. */
export function verifyPreferencesToken(
  secret: string,
  token: string,
): { subscriberId: number; tokenKey: string } | undefined {
  const match = verifySignedToken(secret, 'preferences', token)?.match(/^([1-9]\d{0,15})\.([0-9a-f]{32})$/);
  return match ? { subscriberId: Number(match[1]), tokenKey: match[2]! } : undefined;
}

/**
 * A signed token for another purpose (e.g. `confirm`) over an arbitrary payload string, such as
 * `<id>.<expiry>.<nonce>`. Callers keep single-use state themselves.
 */
export function signedToken(secret: string, purpose: string, payload: string): string {
  const encoded = Buffer.from(payload).toString('base64url');
  return `${encoded}.${sign(secret, purpose, encoded)}`;
}

/** The payload of a valid {@link signedToken}, or undefined. */
export function verifySignedToken(secret: string, purpose: string, token: string): string | undefined {
  const [encoded, signature, extra] = token.split('.');
  if (!encoded || !signature || extra !== undefined) return undefined;
  const expected = Buffer.from(sign(secret, purpose, encoded));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  return Buffer.from(encoded, 'base64url').toString('utf8');
}
