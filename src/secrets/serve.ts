import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { MIN_SECRET_BYTES } from '../tokens.ts';
import { deploymentSecret, SECRET_ENV, WEBHOOK_SECRET_ENV } from './env.ts';

/**
 * The deployment secret that signs confirm and unsubscribe links. Throws `ServeRefused` when it is
 * unset or shorter than {@link MIN_SECRET_BYTES} bytes: a public endpoint must not accept tokens
 * anyone could forge.
 */
export function requireSecret(env: NodeJS.ProcessEnv): string {
  const secret = deploymentSecret(env) ?? '';
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes >= MIN_SECRET_BYTES) return secret;
  throw new UserError(E.ServeSecretMissing, { variable: SECRET_ENV, bytes, min: MIN_SECRET_BYTES });
}

/**
 * Resend's webhook signing secret, or undefined when unset (webhooks are then answered 404).
 * Throws `ServeRefused` when it is set but is not a `whsec_` secret, so a typo is found at start-up
 * rather than by every webhook failing.
 */
export function webhookSecret(env: NodeJS.ProcessEnv): string | undefined {
  const value = env[WEBHOOK_SECRET_ENV]?.trim();
  if (!value) return undefined;
  const key = value.startsWith('whsec_')
    ? Buffer.from(value.slice('whsec_'.length), 'base64')
    : Buffer.alloc(0);
  if (key.length >= 16) return value;
  throw new UserError(E.ServeWebhookSecretInvalid, { variable: WEBHOOK_SECRET_ENV });
}
