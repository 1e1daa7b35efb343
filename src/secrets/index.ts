// Every secret in one place: the environment variables, the suppression-hash key, the key that
// signs unsubscribe tokens (with the outbox's per-database fallback), what `serve` requires and
// the transports' API keys and passwords. Nothing else in src/ reads a secret from the environment.
export { deploymentSecret, SECRET_ENV, WEBHOOK_SECRET_ENV } from './env.ts';
export { transportSecret } from './transport.ts';
export { suppressionHasher } from './suppression-key.ts';
export { secretProblem, tokenSecret, TOKEN_KEY_META } from './token-key.ts';
export { requireSecret, webhookSecret } from './serve.ts';
