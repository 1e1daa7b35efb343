import { loadLists } from '../audience/lists.ts';
import { databaseError, openStore, type Store } from '../audience/store.ts';
import type { Config } from '../config/schema.ts';
import { isUserError, UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { createTransport } from '../send/transports/index.ts';
import type { Transport } from '../send/types.ts';
import { confirmEmailFor } from './confirm-email.ts';
import { createUnsubscribeJournal } from './journal.ts';
import { createMailer } from './mailer.ts';
import { requireSecret, webhookSecret } from '../secrets/index.ts';
import type { RateLimitSettings, ServeDeps, ServeOptions } from './types.ts';
import { unsubscribeByToken } from './unsubscribe.ts';
import { firstUpkeep } from './upkeep.ts';
import { createWriteGate, StoreBusy } from './writes.ts';

const DEFAULT_RATE_LIMIT: RateLimitSettings = { limit: 5, windowMs: 15 * 60 * 1000 };
/** Nothing listens yet, so start-up may wait longer for an import to finish than a request may. */
const STARTUP_WAIT_MS = 30_000;

/** What {@link prepareServe} opened: the handlers' dependencies and what shutdown closes. */
export interface Prepared {
  deps: ServeDeps;
  transport: Transport;
  store: Store;
}

/**
 * Everything `serve` needs before it listens, each step able to refuse the start: the secrets and
 * lists; the database opened and migrated; the suppression key checked against
 * `NYHETSBREV_SECRET`; expired confirmations purged and journaled unsubscribes applied; the
 * transport; the confirmation email rendered once. On a failure whatever was opened is closed and
 * a named error thrown (`ServeRefused`, `DatabaseError`, `SuppressionKeyChanged`, …): `serve` is
 * either fully up or not running at all.
 */
export async function prepareServe(config: Config, options: ServeOptions): Promise<Prepared> {
  const env = options.env ?? process.env;
  const secret = requireSecret(env);
  const hookSecret = webhookSecret(env);
  const lists = loadLists(config.lists);
  const clock = options.clock ?? (() => new Date());
  const store = openDatabase(config.database, () => openStore(config.database, { env, now: clock }));
  let transport: Transport | undefined;
  try {
    const writes = createWriteGate(store, options.lockWait);
    // Resolving the key checks it against the one the suppressions were hashed with; left to the
    // first request, a changed NYHETSBREV_SECRET fails every subscribe and unsubscribe instead.
    await databaseStep(store.path, () => writes.run(() => store.hashEmail('start-up'), STARTUP_WAIT_MS));
    transport = createTransport(config, { name: options.transport, env });
    const opened = { store, writes, lists, secret, webhookSecret: hookSecret, clock };
    const deps = serveDeps(config, options, opened, transport);
    await databaseStep(store.path, () => firstUpkeep(deps));
    await warmUp(deps);
    return { deps, transport, store };
  } catch (error) {
    await transport?.close();
    store.close();
    throw error;
  }
}

/** The handlers' dependencies: what start-up opened, and the parts made from it. */
function serveDeps(
  config: Config,
  options: ServeOptions,
  opened: Pick<ServeDeps, 'store' | 'writes' | 'lists' | 'secret' | 'webhookSecret' | 'clock'>,
  transport: Transport,
): ServeDeps {
  const log =
    options.log ?? ((line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`));
  const deps: ServeDeps = {
    config,
    store: opened.store,
    writes: opened.writes,
    unsubscribes: createUnsubscribeJournal(
      opened.store.path,
      opened.writes,
      (token) => void unsubscribeByToken(deps, token),
    ),
    lists: opened.lists,
    secret: opened.secret,
    webhookSecret: opened.webhookSecret,
    endpoint: withSlash(config.endpoint ?? new URL('prenumeration/', config.baseUrl).href),
    mailer: createMailer(transport, log),
    clock: opened.clock,
    log,
    trustProxy: options.trustProxy ?? false,
    rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT,
  };
  return deps;
}

/**
 * Renders a confirmation email once: the first render loads MJML's components, seconds of the
 * event loop that would otherwise fall on the first subscriber and everyone waiting behind them.
 */
async function warmUp(deps: ServeDeps): Promise<void> {
  const token = 'warm-up';
  const confirmUrl = new URL(`bekrafta?t=${token}`, deps.endpoint).href;
  const expiresAt = new Date(deps.clock().getTime() + 7 * 24 * 60 * 60 * 1000);
  const name = deps.lists.lists.find((list) => list.id === deps.lists.default)?.name ?? deps.lists.default;
  await confirmEmailFor(deps.config, { confirmUrl, expiresAt, listNames: [name] }, token);
}

function openDatabase(path: string, open: () => Store): Store {
  try {
    return open();
  } catch (error) {
    throw refusal(error, path);
  }
}

async function databaseStep<T>(path: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw refusal(error, path);
  }
}

/** A start-up failure of the database as a named error (the store's own, or `ServeRefused`). */
function refusal(error: unknown, path: string): unknown {
  if (isUserError(error)) return error;
  const known = databaseError(error, path);
  if (isUserError(known)) return known;
  if (error instanceof StoreBusy)
    return new UserError(E.ServeDatabaseBusy, { path, seconds: STARTUP_WAIT_MS / 1000 }, { cause: error });
  const reason = (error as Error).message;
  return new UserError(E.ServeDatabaseUnusable, { path, reason }, { cause: error });
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
