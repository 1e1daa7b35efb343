import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * VERP (variable envelope return path): each campaign email goes out with its own envelope
 * sender, `bounce+<token>@<bounce domain>`, so a bounce names the delivery it is about even when
 * the relay's report leaves out the recipient or the original message.
 *
 * The token is 32 lowercase hex digits: one AES-128 block holding the campaign id, the delivery's
 * position and the first 8 bytes of an HMAC-SHA256 over the campaign ref and the position. Both
 * keys are derived from the send secret. Without it nobody learns the address, the campaign or the
 * place in the list from the token, nor makes a valid one; lowercase hex survives relays that
 * change the case of local parts.
 */

/** A delivery a VERP token names: campaign id and position (the `deliveries` primary key). */
export interface VerpDelivery {
  campaignId: number;
  position: number;
}

interface Keys {
  cipher: Buffer;
  mac: Buffer;
}

let cached: { secret: string; keys: Keys } | undefined;

function keys(secret: string): Keys {
  if (cached?.secret !== secret) {
    const bytes = createHmac('sha256', secret).update('nyhetsbrev/verp/v1').digest();
    cached = { secret, keys: { cipher: bytes.subarray(0, 16), mac: bytes.subarray(16) } };
  }
  return cached.keys;
}

function tag(keys: Keys, ref: string, position: number): Buffer {
  return createHmac('sha256', keys.mac).update(`${ref}/${position}`).digest().subarray(0, 8);
}

/** The envelope sender of one delivery: `bounce+<token>@<domain>`. Deterministic. */
export function verpAddress(
  secret: string,
  domain: string,
  campaign: { id: number; ref: string },
  position: number,
): string {
  const k = keys(secret);
  const block = Buffer.alloc(16);
  block.writeUInt32BE(campaign.id, 0);
  block.writeUInt32BE(position, 4);
  tag(k, campaign.ref, position).copy(block, 8);
  const cipher = createCipheriv('aes-128-ecb', k.cipher, null).setAutoPadding(false);
  const token = Buffer.concat([cipher.update(block), cipher.final()]).toString('hex');
  return `bounce+${token}@${domain.toLowerCase()}`;
}

/**
 * Every VERP address of `domain` in `text` (headers and report parts of a bounce), decrypted to
 * the delivery it names, once the campaign's ref (`refOf`, undefined when no such campaign) checks
 * out against its HMAC. Forged, foreign or mangled tokens are left out.
 */
export function findVerpDeliveries(
  secret: string,
  domain: string,
  text: string,
  refOf: (campaignId: number) => string | undefined,
): VerpDelivery[] {
  const k = keys(secret);
  const pattern = new RegExp(`bounce\\+([0-9a-f]{32})@${domain.replace(/[.\\-]/g, '\\$&')}`, 'gi');
  const found = new Map<string, VerpDelivery>();
  for (const match of text.matchAll(pattern)) {
    const token = match[1]!.toLowerCase();
    if (found.has(token)) continue;
    const decipher = createDecipheriv('aes-128-ecb', k.cipher, null).setAutoPadding(false);
    const block = Buffer.concat([decipher.update(Buffer.from(token, 'hex')), decipher.final()]);
    const campaignId = block.readUInt32BE(0);
    const position = block.readUInt32BE(4);
    const ref = refOf(campaignId);
    if (ref === undefined || !timingSafeEqual(block.subarray(8), tag(k, ref, position))) continue;
    found.set(token, { campaignId, position });
  }
  return [...found.values()];
}
