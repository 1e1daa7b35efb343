import { randomBytes } from 'node:crypto';
import type { Store } from '../audience/index.ts';
import { SECRET_ENV } from '../audience/index.ts';
import { UserError } from '../errors.ts';
import { MIN_SECRET_BYTES } from '../tokens.ts';
import type { TransportCapabilities } from './types.ts';

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
  const secret = env[SECRET_ENV];
  if (secret && Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    return new UserError(
      'SecretMissing',
      `${SECRET_ENV} is ${Buffer.byteLength(secret)} bytes long; unsubscribe links need a secret of at least ${MIN_SECRET_BYTES} bytes.`,
      {
        hint: `Generate one with \`openssl rand -base64 48\` and set ${SECRET_ENV} to it (the same value \`nyhetsbrev serve\` uses).`,
      },
    );
  }
  if (secret || !transport.needsSecret) return undefined;
  return new UserError(
    'SecretMissing',
    `${SECRET_ENV} is not set: the unsubscribe links of a real send must be signed with the secret \`nyhetsbrev serve\` verifies them with.`,
    {
      hint: `Set ${SECRET_ENV} (at least ${MIN_SECRET_BYTES} bytes, e.g. \`openssl rand -base64 48\`) in the environment, the same value as for \`nyhetsbrev serve\`.`,
    },
  );
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
  const secret = env[SECRET_ENV];
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
