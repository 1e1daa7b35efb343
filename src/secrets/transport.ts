import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';

/**
 * A transport's secret (Resend's API key, the SMTP user name or password) from the environment
 * variable the config names (`transport.resend.apiKeyEnv`, …), never from the config itself.
 * Throws `SecretMissing` naming the variable when it is unset or empty; `what` says what it holds.
 */
export function transportSecret(
  env: Record<string, string | undefined>,
  variable: string,
  what: string,
): string {
  const value = env[variable];
  if (value) return value;
  throw new UserError(E.TransportSecretMissing, { variable, what });
}
