import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import type { Config } from '../../config/schema.ts';
import { UserError } from '../../errors.ts';
import { E } from '../../errors/catalog.ts';
import { transportSecret } from '../../secrets/index.ts';
import type { Transport, TransportCapabilities, TransportName } from '../types.ts';
import type { MonotonicClock } from './clock.ts';
import { createOutboxTransport, OUTBOX_CAPABILITIES } from './outbox.ts';
import { createResendTransport, RESEND_CAPABILITIES } from './resend.ts';
import { createSmtpTransport, SMTP_CAPABILITIES } from './smtp.ts';

export {
  createOutboxTransport,
  OUTBOX_CAPABILITIES,
  MAX_LINE_LENGTH,
  outboxFileName,
  removeAddressNamedFiles,
  type OutboxTransportOptions,
} from './outbox.ts';
export {
  createResendTransport,
  RESEND_BATCH_LIMIT,
  RESEND_CAPABILITIES,
  type ResendTransportOptions,
} from './resend.ts';
export { classifyResendError } from './resend-answer.ts';
export {
  createSmtpTransport,
  DKIM_HEADER_FIELDS,
  SMTP_CAPABILITIES,
  type SmtpTransportOptions,
} from './smtp.ts';
export { Pacer, type PacerOptions } from './rate.ts';
export { monotonicClock, sleep, type MonotonicClock } from './clock.ts';
export {
  DEFAULT_RETRY_POLICY,
  retryDelayMs,
  sendChunkWithRetry,
  type RetryOptions,
  type RetryPolicy,
} from './retry.ts';

/**
 * What each transport declares it can do, by name: for a chunk the ledger says was started by a
 * transport, and for checks made before (or instead of) creating one.
 */
export const TRANSPORT_CAPABILITIES: Readonly<Record<TransportName, TransportCapabilities>> = {
  outbox: OUTBOX_CAPABILITIES,
  resend: RESEND_CAPABILITIES,
  smtp: SMTP_CAPABILITIES,
};

/** The capabilities of the transport named so in the ledger; undefined for a name no longer known. */
export function capabilitiesOf(name: string | null): TransportCapabilities | undefined {
  return name !== null && Object.hasOwn(TRANSPORT_CAPABILITIES, name)
    ? TRANSPORT_CAPABILITIES[name as TransportName]
    : undefined;
}

/** Choices and overrides for {@link createTransport}; the config says everything else. */
export interface CreateTransportOptions {
  /** Which transport; default `transport.default` of the config (the CLI's `--transport`). */
  name?: TransportName | undefined;
  /** Where secrets are read from (the variables the config names). Default: `process.env`. */
  env?: Record<string, string | undefined> | undefined;
  resend?:
    | {
        maxRequestsPerSecond?: number | undefined;
        requestTimeoutMs?: number | undefined;
        clock?: MonotonicClock | undefined;
      }
    | undefined;
  /** Extra TLS options for the SMTP connection, such as `{ca}` of a relay's private CA. */
  smtpTls?: ConnectionOptions | undefined;
}

/**
 * Builds the configured transport. Secrets are read here, once, from the environment variables
 * the config names (`transportSecret`, src/secrets/): throws `SecretMissing` when one is unset,
 * `TransportError` when the DKIM key file cannot be read. Nothing touches the network until the
 * first `sendChunk`.
 */
export function createTransport(
  config: Pick<Config, 'transport' | 'root'>,
  options: CreateTransportOptions = {},
): Transport {
  const env = options.env ?? process.env;
  const settings = config.transport;
  const name = options.name ?? settings.default;
  switch (name) {
    case 'outbox':
      return createOutboxTransport({ dir: resolve(config.root, settings.outbox.dir) });
    case 'resend':
      return createResendTransport({
        apiKey: transportSecret(env, settings.resend.apiKeyEnv, 'the Resend API key'),
        baseUrl: settings.resend.baseUrl,
        maxRequestsPerSecond: settings.resend.maxRequestsPerSecond,
        ...options.resend,
      });
    case 'smtp':
      return smtpTransport(config, env, options);
  }
}

/** The SMTP transport of the config, its user name and password read from the variables it names. */
function smtpTransport(
  config: Pick<Config, 'transport' | 'root'>,
  env: NodeJS.ProcessEnv,
  options: CreateTransportOptions,
): Transport {
  const smtp = config.transport.smtp;
  const user =
    smtp.userEnv === undefined ? undefined : transportSecret(env, smtp.userEnv, 'the SMTP user name');
  const pass =
    smtp.passwordEnv === undefined ? undefined : transportSecret(env, smtp.passwordEnv, 'the SMTP password');
  return createSmtpTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTLS,
    auth: user === undefined ? undefined : { user, pass: pass ?? '' },
    maxConnections: smtp.maxConnections,
    rateLimitPerSecond: smtp.rateLimitPerSecond,
    dkim: smtp.dkim && {
      domainName: smtp.dkim.domainName,
      keySelector: smtp.dkim.keySelector,
      privateKey: readKey(resolve(config.root, smtp.dkim.privateKeyFile)),
    },
    tls: options.smtpTls,
  });
}

function readKey(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(E.DkimKeyUnreadable, { file }, { cause: error });
  }
}
