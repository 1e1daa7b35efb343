// Every secret in one place: the environment variables, the suppression-hash key, the key that
// signs unsubscribe tokens (with the outbox's per-database fallback) and what `serve` requires.
export { SECRET_ENV, WEBHOOK_SECRET_ENV } from './env.ts';
export { suppressionHasher } from './suppression-key.ts';
export { secretProblem, tokenSecret, TOKEN_KEY_META } from './token-key.ts';
export { requireSecret, webhookSecret } from './serve.ts';
