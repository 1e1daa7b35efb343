/** Name of the environment variable with the deployment's secret: it signs confirm and unsubscribe links and keys the suppression hashes. */
export const SECRET_ENV = 'NYHETSBREV_SECRET';

/**
 * The deployment's secret from `env` (`NYHETSBREV_SECRET`), or undefined when it is unset or
 * empty. Whether it is long enough is for its users to say (`requireSecret`, `secretProblem`).
 */
export function deploymentSecret(env: Record<string, string | undefined>): string | undefined {
  return env[SECRET_ENV] || undefined;
}

/** Name of the environment variable with Resend's webhook signing secret (`whsec_…`). */
export const WEBHOOK_SECRET_ENV = 'RESEND_WEBHOOK_SECRET';
