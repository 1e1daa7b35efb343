import { UserError } from '../errors.ts';
import { MIN_SECRET_BYTES } from '../tokens.ts';
import { SECRET_ENV, WEBHOOK_SECRET_ENV } from './env.ts';

/**
 * The deployment secret that signs confirm and unsubscribe links. Throws `ServeRefused` when it is
 * unset or shorter than {@link MIN_SECRET_BYTES} bytes: a public endpoint must not accept tokens
 * anyone could forge.
 */
export function requireSecret(env: NodeJS.ProcessEnv): string {
  const secret = env[SECRET_ENV] ?? '';
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes >= MIN_SECRET_BYTES) return secret;
  throw new UserError(
    'ServeRefused',
    secret === ''
      ? `nyhetsbrev serve did not start: ${SECRET_ENV} is not set.`
      : `nyhetsbrev serve did not start: ${SECRET_ENV} is ${bytes} bytes long, shorter than the ${MIN_SECRET_BYTES} bytes it needs.`,
    {
      hint: `Set ${SECRET_ENV} to a random value of at least ${MIN_SECRET_BYTES} bytes (e.g. \`openssl rand -base64 48\`), the same one \`send\` uses, so unsubscribe links in sent emails stay valid.`,
    },
  );
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
  throw new UserError(
    'ServeRefused',
    `nyhetsbrev serve did not start: ${WEBHOOK_SECRET_ENV} is not a webhook signing secret.`,
    {
      hint: `Copy the signing secret (it starts with whsec_) from the webhook's page in Resend into ${WEBHOOK_SECRET_ENV}, or unset it to turn the webhook off.`,
    },
  );
}
