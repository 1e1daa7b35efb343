import type { Lists } from '../audience/index.ts';
import type { Store } from '../audience/store.ts';
import type { Config } from '../config/schema.ts';
import type { UnsubscribeJournal } from './journal.ts';
import type { Mailer } from './mailer.ts';
import type { TransportName } from '../send/types.ts';
import type { LockWaitOptions, WriteGate } from './writes.ts';

/** How many subscribe requests one client address may make per window (the rest get 429). */
export interface RateLimitSettings {
  /** Requests allowed per window and client. */
  limit: number;
  windowMs: number;
}

/**
 * Everything the handlers of `serve` use: the side effects behind small interfaces (store, mailer,
 * clock, log) and the settings resolved at start-up. Handlers never read `process.env`.
 */
export interface ServeDeps {
  config: Config;
  /** The database. Handlers read through it directly; every write goes through {@link writes}. */
  store: Store;
  /** Runs writes once the write lock is free, without blocking the event loop (writes.ts). */
  writes: WriteGate;
  /** One-click unsubscribes that arrived while the database was busy, until applied (journal.ts). */
  unsubscribes: UnsubscribeJournal;
  lists: Lists;
  /** `NYHETSBREV_SECRET`: signs confirm and unsubscribe tokens (checked to be ≥ 32 bytes). */
  secret: string;
  /** `RESEND_WEBHOOK_SECRET` (`whsec_…`), or undefined when Resend webhooks are off. */
  webhookSecret: string | undefined;
  /**
   * Public URL of the endpoint, ending in `/`: links in confirmation emails point here. Settable
   * after listening, so tests on port 0 can point it at the real port.
   */
  endpoint: string;
  mailer: Mailer;
  clock: () => Date;
  /** One line per call; never given personal data (addresses, names, tokens, client addresses). */
  log: (line: string) => void;
  /** Take the client address from the last `X-Forwarded-For` entry (behind a reverse proxy). */
  trustProxy: boolean;
  rateLimit: RateLimitSettings;
}

/** Options of `startServer` (index.ts); the config says everything else. */
export interface ServeOptions {
  /** Port; 0 picks a free one. Default 4322. */
  port?: number;
  /** Address to listen on. Default loopback (127.0.0.1): put a TLS reverse proxy in front. */
  host?: string;
  /** Take client addresses from `X-Forwarded-For` (only behind a proxy that sets it). */
  trustProxy?: boolean;
  /** Transport for confirmation emails; default the config's `transport.default`. */
  transport?: TransportName | undefined;
  /** Links in emails point at the listening address instead of `endpoint` (local trials, tests). */
  localLinks?: boolean;
  /** Environment with the secrets; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  clock?: () => Date;
  /** Log sink; default stdout with a timestamp. Never given personal data. */
  log?: (line: string) => void;
  /** Subscribe requests per client address; default 5 per 15 minutes. */
  rateLimit?: RateLimitSettings;
  /** How long shutdown waits for in-flight requests and emails before cutting them off. Default 10 s. */
  shutdownTimeoutMs?: number;
  /** How writes wait for the database's write lock (writes.ts); tests pass a clock and sleeper. */
  lockWait?: Partial<LockWaitOptions>;
  /** Start scheduled sends when due (checked at start and every minute on `clock`). Default true. */
  dueSends?: boolean;
}
