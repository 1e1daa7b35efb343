import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { forgetPerson, MIGRATIONS, openStore } from '../../src/audience/index.ts';
import { schema3Database, seedIdReuse } from '../support/schema3.ts';
import { tempDir, tempStore, thrown } from './helpers.ts';

const TABLES = [
  'meta',
  'subscribers',
  'memberships',
  'suppressions',
  'confirmations',
  'campaigns',
  'deliveries',
  'chunks',
  'webhook_messages',
];
// Columns added by migration 4 and by later steps.
const NEW_COLUMNS = ['token_key', 'v1_links', 'welcomed_at'];

/** Every row of every table, without the columns migration 4 added, in a stable order. */
function contents(db: Database.Database): Record<string, string[]> {
  return Object.fromEntries(
    TABLES.map((table) => {
      const rows = db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
      const kept = rows.map((row) =>
        JSON.stringify(Object.entries(row).filter(([column]) => !NEW_COLUMNS.includes(column))),
      );
      return [table, kept.sort()];
    }),
  );
}

/** A schema-3 database holding the case of issue 14 (test/support/schema3.ts), and its contents. */
function oldDatabase(): { path: string; before: Record<string, string[]> } {
  const path = join(tempDir(), 'nyhetsbrev.db');
  const db = schema3Database(path);
  seedIdReuse(db);
  const before = contents(db);
  db.close();
  return { path, before };
}

const open = (path: string) => openStore(path, { env: {}, now: () => new Date('2026-04-01T08:00:00Z') });

describe('migration 4: ids are never reused', () => {
  it('keeps every row of a schema-3 database, with the same ids, and records the new version', () => {
    const { path, before } = oldDatabase();
    const store = open(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(contents(store.db)).toEqual(before);
    expect(store.findSubscriber('eva@example.org')?.id).toBe(3);
    expect(store.memberships(3).map((m) => m.listId)).toEqual(['nyhetsbrev']);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    store.close();
  });

  it('gives every subscriber their own random token key', () => {
    const store = open(oldDatabase().path);
    const keys = store.db.prepare<[], string>('SELECT token_key FROM subscribers').pluck().all();
    expect(keys).toHaveLength(5);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(keys).size).toBe(5);
    store.close();
  });

  it('keeps old links only for subscribers created before a campaign went to someone no longer there', () => {
    const store = open(oldDatabase().path);
    const v1 = store.db
      .prepare<[], { email: string; v1_links: number }>('SELECT email, v1_links FROM subscribers ORDER BY id')
      .all();
    // Campaign 2026-01 (20 January) went to Dan, forgotten since: Eva may hold his id, and so may
    // anyone who subscribed after it; Anna and Bo cannot.
    expect(v1).toEqual([
      { email: 'anna@example.org', v1_links: 1 },
      { email: 'bo@example.org', v1_links: 1 },
      { email: 'eva@example.org', v1_links: 0 },
      { email: 'cilla@example.org', v1_links: 0 },
      { email: 'fia@example.org', v1_links: 0 },
    ]);
    store.close();
  });

  it('keeps old links for everyone when no campaign ever went to a person who is gone', () => {
    const path = join(tempDir(), 'nyhetsbrev.db');
    const db = schema3Database(path);
    seedIdReuse(db);
    db.exec('DELETE FROM deliveries WHERE subscriber_id IS NULL');
    db.close();
    const store = open(path);
    const v1 = store.db.prepare<[], number>('SELECT v1_links FROM subscribers').pluck().all();
    expect(v1).toEqual([1, 1, 1, 1, 1]);
    store.close();
  });

  it('never gives an id out again after a forget, nor an id a delivery still names', () => {
    const path = join(tempDir(), 'nyhetsbrev.db');
    const db = schema3Database(path);
    seedIdReuse(db);
    // A subscriber deleted without a scrub (a purge) whose id 9 a delivery row still holds.
    db.prepare(
      "INSERT INTO deliveries (campaign_id, position, subscriber_id, email, chunk, status, updated_at) VALUES (2, 4, 9, 'x@example.org', 1, 'sent', 'x')",
    ).run();
    db.close();
    const store = open(path);
    const add = (email: string) =>
      store.insertSubscriber({ email, emailKey: email, name: null, status: 'active', consentSource: 't' });
    expect(add('ny@example.org').id).toBe(10);
    forgetPerson(store, 'ny@example.org');
    expect(add('nyare@example.org').id).toBe(11);
    store.close();
  });

  it('keeps the foreign keys: memberships and confirmations still go with their subscriber', () => {
    const store = open(oldDatabase().path);
    expect(() =>
      store.db.prepare("INSERT INTO memberships VALUES (99, 'nyhetsbrev', 't', 'x')").run(),
    ).toThrow(/FOREIGN KEY/);
    store.db.prepare('DELETE FROM subscribers WHERE id = 5').run();
    expect(store.db.prepare('SELECT count(*) FROM confirmations').pluck().get()).toBe(0);
    store.close();
  });

  it('leaves a database it cannot migrate at its old version, with DatabaseError', () => {
    const path = join(tempDir(), 'nyhetsbrev.db');
    const db = schema3Database(path);
    seedIdReuse(db);
    db.pragma('foreign_keys = OFF');
    db.prepare("INSERT INTO memberships VALUES (42, 'arkiv', 't', 'x')").run(); // an orphan
    db.close();
    const error = thrown(() => open(path));
    expect(error.name).toBe('DatabaseError');
    expect(error.message).toContain('left at schema version 3');
    const store = schema3Check(path);
    expect(store.version).toBe(3);
    expect(store.columns).not.toContain('token_key');
  });

  it('creates new databases with the same schema: AUTOINCREMENT and a token key per subscriber', () => {
    const store = tempStore();
    const sql = store.db
      .prepare<[], string>("SELECT sql FROM sqlite_master WHERE name = 'subscribers'")
      .pluck()
      .get();
    expect(sql).toContain('AUTOINCREMENT');
    const { id } = store.insertSubscriber({
      email: 'a@example.org',
      emailKey: 'a@example.org',
      name: null,
      status: 'active',
      consentSource: 't',
    });
    expect(store.tokenKey(id)).toMatch(/^[0-9a-f]{32}$/);
  });
});

function schema3Check(path: string): { version: number; columns: string[] } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      columns: db.prepare<[], string>("SELECT name FROM pragma_table_info('subscribers')").pluck().all(),
    };
  } finally {
    db.close();
  }
}
