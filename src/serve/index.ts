import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { loadLists } from '../audience/lists.ts';
import { openStore, type Store } from '../audience/store.ts';
import type { Config } from '../config/schema.ts';
import { UserError } from '../errors.ts';
import { startDueSends, type DueSends } from '../schedule/ticker.ts';
import { createTransport } from '../send/transports/index.ts';
import type { Transport, TransportName } from '../send/types.ts';
import { createApp } from './app.ts';
import { purgeExpired } from './confirmations.ts';
import { createMailer } from './mailer.ts';
import { requireSecret, webhookSecret } from './secrets.ts';
import type { RateLimitSettings, ServeDeps } from './types.ts';

export { createApp } from './app.ts';
export type { ServeDeps, RateLimitSettings } from './types.ts';

/** Options of {@link startServer}; the config says everything else. */
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
  /** Start scheduled sends when due (checked at start and every minute on `clock`). Default true. */
  dueSends?: boolean;
}

/** A listening server. */
export interface RunningServer {
  /** Where it listens, e.g. `http://127.0.0.1:4322/`. */
  url: string;
  deps: ServeDeps;
  /** The due-send check (src/schedule/), unless turned off. */
  dueSends: DueSends | undefined;
  /**
   * Graceful shutdown: stops accepting connections, lets in-flight requests and queued emails
   * finish (up to the timeout), then closes the transport and the database.
   */
  close(): Promise<void>;
}

const DEFAULT_RATE_LIMIT: RateLimitSettings = { limit: 5, windowMs: 15 * 60 * 1000 };
const HOUR_MS = 60 * 60 * 1000;

/**
 * Starts `nyhetsbrev serve`. Throws `ServeRefused` without a secret of ≥ 32 bytes (or with a
 * malformed webhook secret, or when the port is taken), and the store's and transport's errors.
 */
export async function startServer(config: Config, options: ServeOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const secret = requireSecret(env);
  const hookSecret = webhookSecret(env);
  const lists = loadLists(config.lists);
  const clock = options.clock ?? (() => new Date());
  const log =
    options.log ?? ((line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`));
  const store = openStore(config.database, { env, now: clock });
  let transport: Transport;
  try {
    transport = createTransport(config, { name: options.transport, env });
  } catch (error) {
    store.close();
    throw error;
  }
  const endpoint = withSlash(config.endpoint ?? new URL('prenumeration/', config.baseUrl).href);
  const deps: ServeDeps = {
    config,
    store,
    lists,
    secret,
    webhookSecret: hookSecret,
    endpoint,
    mailer: createMailer(transport, log),
    clock,
    log,
    trustProxy: options.trustProxy ?? false,
    rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT,
  };
  const server = await listen(deps, options.host ?? '127.0.0.1', options.port ?? 4322).catch(
    (error: unknown) => {
      store.close();
      throw error;
    },
  );
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  if (options.localLinks) deps.endpoint = new URL(new URL(endpoint).pathname, url).href;
  const purge = (): void => void purgeExpired(deps);
  purge();
  const purger = setInterval(purge, HOUR_MS).unref();
  const dueSends = options.dueSends === false ? undefined : startDueSends(config, { clock, env, log });
  return {
    url,
    deps,
    dueSends,
    close: async () => {
      await dueSends?.stop();
      await shutdown(server, deps, transport, store, purger, options.shutdownTimeoutMs ?? 10_000);
    },
  };
}

function listen(deps: ServeDeps, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: createApp(deps).fetch, hostname: host, port }) as Server;
    // Slow clients cannot hold connections open for long (slowloris).
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new UserError(
          'ServeRefused',
          `nyhetsbrev serve cannot listen on ${host}:${port}: ${error.code ?? error.message}.`,
          {
            cause: error,
            hint:
              error.code === 'EADDRINUSE'
                ? 'Another program uses that port: stop it, or pass another --port.'
                : 'Check --host (an address of this machine) and --port.',
          },
        ),
      );
    });
  });
}

async function shutdown(
  server: Server,
  deps: ServeDeps,
  transport: Transport,
  store: Store,
  purger: NodeJS.Timeout,
  timeoutMs: number,
): Promise<void> {
  clearInterval(purger);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive connections that finish their request become idle; close them as they do.
  const sweeper = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => {
    server.closeAllConnections();
    deps.mailer.abort();
  }, timeoutMs);
  try {
    server.closeIdleConnections();
    await closed;
    await deps.mailer.idle();
  } finally {
    clearInterval(sweeper);
    clearTimeout(deadline);
    await transport.close();
    store.close();
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
