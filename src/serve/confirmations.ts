import { createHash, randomBytes } from 'node:crypto';
import { signedToken, verifySignedToken } from '../tokens.ts';
import type { ServeDeps } from './types.ts';

/** How long a confirmation link works. */
export const CONFIRM_TTL_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;
const PURPOSE = 'confirm';

/** What the person chose on the form, kept with the confirmation until they confirm. */
export interface ConfirmationRequest {
  subscriberId: number;
  lists: string[];
  name: string | null;
  consentTextVersion: string;
}

/** Where a confirmation token stands. Only `ok` may be used. */
export type ConfirmationState =
  | { state: 'ok'; tokenHash: string; request: ConfirmationRequest }
  | { state: 'invalid' | 'expired' | 'used' };

interface ConfirmationRow {
  subscriber_id: number;
  lists: string;
  name: string | null;
  consent_text_version: string;
  expires_at: string;
  used_at: string | null;
}

/**
 * Creates a single-use confirmation and returns its token. Token design: a {@link signedToken}
 * (HMAC with the deployment secret, purpose `confirm`) over `<subscriber id>.<expiry, Unix
 * seconds>.<16 random bytes>`. The signature rejects tampered and foreign tokens without a
 * database read; the expiry is inside the signed payload, so it cannot be stretched; the random
 * part makes every token unique. The database keeps only the token's SHA-256 (with the chosen
 * lists and `used_at`), so a copy of the file cannot confirm anyone.
 */
export function createConfirmation(
  deps: ServeDeps,
  request: ConfirmationRequest,
): { token: string; expiresAt: Date } {
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + CONFIRM_TTL_DAYS * DAY_MS);
  const nonce = randomBytes(16).toString('base64url');
  const payload = `${request.subscriberId}.${Math.floor(expiresAt.getTime() / 1000)}.${nonce}`;
  const token = signedToken(deps.secret, PURPOSE, payload);
  deps.store.db
    .prepare(
      `INSERT INTO confirmations (token_hash, subscriber_id, lists, name, consent_text_version, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      hashToken(token),
      request.subscriberId,
      JSON.stringify(request.lists),
      request.name,
      request.consentTextVersion,
      now.toISOString(),
      expiresAt.toISOString(),
    );
  return { token, expiresAt };
}

/** Checks a confirmation token without using it (for the page with the button). */
export function checkConfirmation(deps: ServeDeps, token: string): ConfirmationState {
  const payload = verifySignedToken(deps.secret, PURPOSE, token);
  const match = payload?.match(/^([1-9]\d{0,15})\.(\d{1,12})\.[A-Za-z0-9_-]{22}$/);
  if (!match) return { state: 'invalid' };
  const [, id, expiry] = match;
  if (Number(expiry) * 1000 <= deps.clock().getTime()) return { state: 'expired' };
  const tokenHash = hashToken(token);
  const row = deps.store.db
    .prepare<[string], ConfirmationRow>('SELECT * FROM confirmations WHERE token_hash = ?')
    .get(tokenHash);
  // No row: the subscriber was erased (forget) since, or the row was purged after expiry.
  if (!row || row.subscriber_id !== Number(id)) return { state: 'invalid' };
  if (row.used_at !== null) return { state: 'used' };
  return {
    state: 'ok',
    tokenHash,
    request: {
      subscriberId: row.subscriber_id,
      lists: JSON.parse(row.lists) as string[],
      name: row.name,
      consentTextVersion: row.consent_text_version,
    },
  };
}

/**
 * Marks a checked confirmation used. Returns false when another request used it first (call it
 * inside the transaction that applies the confirmation, so exactly one request applies it).
 */
export function markUsed(deps: ServeDeps, tokenHash: string): boolean {
  return (
    deps.store.db
      .prepare('UPDATE confirmations SET used_at = ? WHERE token_hash = ? AND used_at IS NULL')
      .run(deps.store.now(), tokenHash).changes === 1
  );
}

/** Confirmation emails sent to this subscriber in the last 24 hours (to stop email bombing). */
export function recentConfirmations(deps: ServeDeps, subscriberId: number): number {
  const since = new Date(deps.clock().getTime() - DAY_MS).toISOString();
  const row = deps.store.db
    .prepare<[number, string], { n: number }>(
      'SELECT count(*) AS n FROM confirmations WHERE subscriber_id = ? AND created_at > ?',
    )
    .get(subscriberId, since);
  return row?.n ?? 0;
}

/**
 * Deletes what double opt-in no longer needs (GDPR: keep no more than needed): expired
 * confirmations, and `pending` subscribers who came from the web form and never confirmed
 * within the link's lifetime. Returns how many of each were deleted.
 */
export function purgeExpired(deps: ServeDeps): { confirmations: number; subscribers: number } {
  const now = deps.clock();
  return deps.store.transaction(() => {
    const confirmations = deps.store.db
      .prepare('DELETE FROM confirmations WHERE expires_at <= ?')
      .run(now.toISOString()).changes;
    const cutoff = new Date(now.getTime() - CONFIRM_TTL_DAYS * DAY_MS).toISOString();
    const subscribers = deps.store.db
      .prepare(
        `DELETE FROM subscribers WHERE status = 'pending' AND consent_source = 'web' AND created_at <= ?
           AND NOT EXISTS (SELECT 1 FROM confirmations c WHERE c.subscriber_id = subscribers.id)
           AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.subscriber_id = subscribers.id)`,
      )
      .run(cutoff).changes;
    return { confirmations, subscribers };
  });
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
