import { createHmac, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { deploymentSecret, SECRET_ENV } from './env.ts';

/**
 * Returns a function that hashes a lowercase address key into its suppression hash (hex
 * HMAC-SHA256). The key is resolved on first use:
 *
 * - `NYHETSBREV_SECRET` set: a sub-key derived from it. The database alone then cannot confirm a
 *   guessed address — the better choice for production.
 * - unset: a random per-database key kept in `meta.suppression_key`. Works out of the box and still
 *   keeps addresses out of the file, but whoever has the file can test guesses against it.
 *
 * A fingerprint of the key is kept in `meta.suppression_key_check`. If the key changes while
 * suppressions exist, hashing throws `SuppressionKeyChanged`: with a new key, unsubscribed and
 * forgotten people would no longer match, and an import could bring them back.
 */
export function suppressionHasher(
  db: Database.Database,
  env: NodeJS.ProcessEnv = process.env,
): (key: string) => string {
  let hmacKey: Buffer | undefined;
  return (key) => {
    hmacKey ??= resolveKey(db, env);
    return createHmac('sha256', hmacKey).update(key, 'utf8').digest('hex');
  };
}

function resolveKey(db: Database.Database, env: NodeJS.ProcessEnv): Buffer {
  const secret = deploymentSecret(env);
  const get = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const put = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  return db
    .transaction((): Buffer => {
      let key: Buffer;
      if (secret) {
        key = createHmac('sha256', secret).update('nyhetsbrev/suppression/v1').digest();
      } else {
        const stored = get.get('suppression_key')?.value;
        key = stored ? Buffer.from(stored, 'base64') : randomBytes(32);
        if (!stored) put.run('suppression_key', key.toString('base64'));
      }
      const check = createHmac('sha256', key).update('nyhetsbrev/key-check').digest('hex').slice(0, 16);
      const previous = get.get('suppression_key_check')?.value;
      if (previous !== check) {
        const { n } = db.prepare('SELECT count(*) AS n FROM suppressions').get() as { n: number };
        if (previous !== undefined && n > 0) throw keyChanged(Boolean(secret), n);
        put.run('suppression_key_check', check);
      }
      return key;
    })
    .immediate();
}

function keyChanged(secretSet: boolean, count: number): UserError {
  return new UserError(E.SuppressionKeyChanged, { count, variable: SECRET_ENV, secretSet });
}
