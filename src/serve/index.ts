import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Config } from '../config/schema.ts';
import type { Transport } from '../send/types.ts';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { startDueSends, type DueSends } from '../schedule/ticker.ts';
import { createApp } from './app.ts';
import { prepareServe } from './startup.ts';
import type { ServeDeps, ServeOptions } from './types.ts';
import { lastUpkeep, startUpkeep } from './upkeep.ts';

export { createApp } from './app.ts';
export type { ServeDeps, RateLimitSettings, ServeOptions } from './types.ts';

/** A listening server. */
export interface RunningServer {
  /** Where it listens, e.g. `http://127.0.0.1:4322/`. */
  url: string;
  deps: ServeDeps;
  /** What sends the confirmation (and welcome) emails: its name, and its folder if it has one. */
  transport: Pick<Transport, 'name' | 'folder'>;
  /** The Node HTTP server (tests watch its responses). */
  httpServer: Server;
  /** The due-send check (src/schedule/), unless turned off. */
  dueSends: DueSends | undefined;
  /**
   * Graceful shutdown: stops accepting connections, lets in-flight requests and queued emails
   * finish (up to the timeout), tries journaled unsubscribes once more, then closes the transport
   * and the database.
   */
  close(): Promise<void>;
}

/**
 * Starts `nyhetsbrev serve`: everything that can refuse the start (secrets, database, suppression
 * key, start-up purge, transport; see startup.ts) runs before it listens, so it either runs fully
 * or throws a named error with nothing left open (`ServeRefused`, `DatabaseError`,
 * `SuppressionKeyChanged`, the transport's errors).
 */
export async function startServer(config: Config, options: ServeOptions = {}): Promise<RunningServer> {
  const { deps, transport, store } = await prepareServe(config, options);
  const host = options.host ?? '127.0.0.1';
  const httpServer = await listen(deps, host, options.port ?? 4322).catch(async (error: unknown) => {
    await transport.close();
    store.close();
    throw error;
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  if (options.localLinks) deps.endpoint = new URL(new URL(deps.endpoint).pathname, url).href;
  const stopUpkeep = startUpkeep(deps);
  const dueSends =
    options.dueSends === false
      ? undefined
      : startDueSends(config, { clock: deps.clock, env: options.env ?? process.env, log: deps.log });
  return {
    url,
    deps,
    transport,
    httpServer,
    dueSends,
    close: async () => {
      stopUpkeep();
      try {
        await dueSends?.stop();
        await shutdown(httpServer, deps, options.shutdownTimeoutMs ?? 10_000);
      } finally {
        await transport.close();
        store.close();
      }
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
          E.ServeCannotListen,
          { host, port, reason: error.code ?? error.message },
          { cause: error },
        ),
      );
    });
  });
}

/** Stops accepting connections, lets requests and queued emails finish, tries the journal once more. */
async function shutdown(server: Server, deps: ServeDeps, timeoutMs: number): Promise<void> {
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
    await lastUpkeep(deps);
  } finally {
    clearInterval(sweeper);
    clearTimeout(deadline);
  }
}
