import type { Context } from 'hono';
import { MIGRATIONS } from '../audience/migrations.ts';
import type { ServeDeps } from './types.ts';

/**
 * The answer of `GET /healthz`: states and version numbers only — no counts, paths, addresses or
 * error messages, since the route is public (a proxy may expose it).
 */
export interface Health {
  status: 'ok' | 'unavailable';
  /**
   * `ok`; `unreachable` (the database cannot be read); `schema-behind` (older than this
   * nyhetsbrev — a restore under a running serve); `schema-ahead` (a newer nyhetsbrev migrated
   * it: restart serve with that version).
   */
  database: 'ok' | 'unreachable' | 'schema-behind' | 'schema-ahead';
  schema: { version: number | null; expected: number };
}

/** Reads the database's schema version through serve's own connection and judges it. */
export function checkHealth(deps: Pick<ServeDeps, 'store' | 'log'>): Health {
  const expected = MIGRATIONS.length;
  let version: number;
  try {
    // A real read of the file's header page, not just a look at the open handle.
    version = deps.store.db.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    deps.log(`healthz: database unreachable (${typeof code === 'string' ? code : (error as Error).name})`);
    return { status: 'unavailable', database: 'unreachable', schema: { version: null, expected } };
  }
  const database = version === expected ? 'ok' : version < expected ? 'schema-behind' : 'schema-ahead';
  return { status: database === 'ok' ? 'ok' : 'unavailable', database, schema: { version, expected } };
}

/** `GET /healthz`: 200 with {@link Health} when all is well, 503 otherwise; never cached. */
export function healthz(c: Context, deps: ServeDeps): Response {
  const health = checkHealth(deps);
  c.header('Cache-Control', 'no-store');
  return c.json(health, health.status === 'ok' ? 200 : 503);
}
