import { randomBytes } from 'node:crypto';
import type { Store } from '../audience/index.ts';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import type { TransportCapabilities } from '../send/types.ts';
import { MIN_SECRET_BYTES } from '../tokens.ts';
import { deploymentSecret, SECRET_ENV } from './env.ts';

/** `meta` key of the per-database token key used when the outbox sends without `NYHETSBREV_SECRET`. */
export const TOKEN_KEY_META = 'outbox_token_key';

/**
 * Why the unsubscribe tokens cannot be signed for this transport, or undefined when they can.
 * A transport that `needsSecret` (it reaches people: Resend, SMTP) needs `NYHETSBREV_SECRET` of at
 * least 32 bytes: it is the key `nyhetsbrev serve` verifies the links with. One that does not (the
 * outbox) may fall back to a per-database key (see {@link tokenSecret}); a secret that is set but
 * too short is refused anyway.
 */
export function secretProblem(
  transport: Pick<TransportCapabilities, 'needsSecret'>,
  env: NodeJS.ProcessEnv,
): UserError | undefined {
  const secret = deploymentSecret(env);
  if (secret && Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    const bytes = Buffer.byteLength(secret);
    return new UserError(E.SendSecretShort, { variable: SECRET_ENV, bytes, min: MIN_SECRET_BYTES });
  }
  if (secret || !transport.needsSecret) return undefined;
  return new UserError(E.SendSecretMissing, { variable: SECRET_ENV, min: MIN_SECRET_BYTES });
}

/**
 * The key unsubscribe tokens are signed with: `NYHETSBREV_SECRET`, or — for a transport that does
 * not `needsSecret` (the outbox), when it is unset — a random key kept in the database's `meta` table (created on first use), so the quick
 * start needs no environment. Links signed with that fallback verify only against the same
 * database's key, not against a `serve` with a real secret. Throws the {@link secretProblem}.
 */
export function tokenSecret(
  store: Store,
  transport: Pick<TransportCapabilities, 'needsSecret'>,
  env: NodeJS.ProcessEnv,
): string {
  const problem = secretProblem(transport, env);
  if (problem) throw problem;
  const secret = deploymentSecret(env);
  if (secret) return secret;
  return store.transaction(() => {
    const get = store.db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck();
    const stored = get.get(TOKEN_KEY_META);
    if (stored) return stored;
    const key = randomBytes(32).toString('base64url');
    store.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(TOKEN_KEY_META, key);
    return key;
  });
}
