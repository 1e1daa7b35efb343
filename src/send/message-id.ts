import { createHmac } from 'node:crypto';

/**
 * `<campaign ref>.<32 hex digits>@<domain>`: the digits are the first 128 bits of an HMAC-SHA256
 * over the campaign and the delivery's position, keyed (like the unsubscribe tokens) by a key
 * derived from the send secret. The same delivery gets the same id in every run — a retried or
 * resent message keeps it, and a resumed chunk stays byte for byte the same — but without the
 * secret nobody can tell a recipient's place in the list from it, nor guess another's id.
 */
export function deliveryMessageId(
  secret: string,
  campaignRef: string,
  position: number,
  domain: string,
): string {
  const digits = createHmac('sha256', messageIdKey(secret))
    .update(`${campaignRef}/${position}`)
    .digest()
    .subarray(0, 16)
    .toString('hex');
  return `<${campaignRef}.${digits}@${domain}>`;
}

// One secret per run: derive its key once, not twice per recipient.
let cached: { secret: string; key: Buffer } | undefined;

function messageIdKey(secret: string): Buffer {
  if (cached?.secret !== secret) {
    cached = { secret, key: createHmac('sha256', secret).update('nyhetsbrev/message-id/v1').digest() };
  }
  return cached.key;
}
