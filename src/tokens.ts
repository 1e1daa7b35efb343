import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Opaque, signed links for readers. An unsubscribe token names a subscriber by id (never the
 * address) and carries an HMAC-SHA256 over purpose and id with a key derived from the deployment
 * secret, so it cannot be forged or pointed at someone else. It does not expire: an unsubscribe
 * link in a years-old email must still work (RFC 8058 expects that).
 *
 * Format: `<base64url(id)>.<base64url(first 16 bytes of HMAC)>`.
 */

/** The minimum secret length `serve` and real sends accept (bytes). */
export const MIN_SECRET_BYTES = 32;

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

/** The unsubscribe token of a subscriber. Deterministic: the same id and secret give the same token. */
export function unsubscribeToken(secret: string, subscriberId: number): string {
  return signedToken(secret, 'unsubscribe', String(subscriberId));
}

/** The subscriber id of a valid unsubscribe token, or undefined for a tampered or foreign one. */
export function verifyUnsubscribeToken(secret: string, token: string): number | undefined {
  return verify(secret, 'unsubscribe', token);
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

function verify(secret: string, purpose: string, token: string): number | undefined {
  const payload = verifySignedToken(secret, purpose, token);
  if (payload === undefined || !/^[1-9]\d{0,15}$/.test(payload)) return undefined;
  return Number(payload);
}
