import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, openStore } from '../../src/audience/index.ts';
import { tempDir, tempStore, thrown } from './helpers.ts';

describe('openStore', () => {
  it('creates the folder and a database file readable by the owner only (0600), also its WAL', () => {
    const path = join(tempDir(), 'nested', 'subscribers', 'nyhetsbrev.db');
    const store = openStore(path, { env: {} });
    store.insertSubscriber({
      email: 'a@example.org',
      emailKey: 'a@example.org',
      name: null,
      status: 'active',
      consentSource: 'test',
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
    store.close();
  });

  it('uses WAL, a busy timeout and foreign keys', () => {
    const { db } = tempStore();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('records the schema version in user_version and creates the sender tables', () => {
    const { db } = tempStore();
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    // Later migrations (serve, send) add their own tables; these are the audience stage's.
    const expected = [
      'campaigns',
      'chunks',
      'deliveries',
      'memberships',
      'meta',
      'subscribers',
      'suppressions',
    ];
    expect(tables).toEqual(expect.arrayContaining(expected) as unknown);
  });

  it('reopens an existing database without running migrations again, keeping its rows', () => {
    const path = join(tempDir(), 'db.sqlite');
    const first = openStore(path, { env: {} });
    first.insertSubscriber({
      email: 'a@example.org',
      emailKey: 'a@example.org',
      name: 'A',
      status: 'active',
      consentSource: 'test',
    });
    first.close();
    const second = openStore(path, { env: {} });
    expect(second.findSubscriber('a@example.org')?.name).toBe('A');
    second.close();
  });

  it('keeps the address unique case-insensitively through its lowercase key', () => {
    const store = tempStore();
    store.insertSubscriber({
      email: 'Anna@example.org',
      emailKey: 'anna@example.org',
      name: null,
      status: 'active',
      consentSource: 't',
    });
    expect(() =>
      store.insertSubscriber({
        email: 'ANNA@example.org',
        emailKey: 'anna@example.org',
        name: null,
        status: 'active',
        consentSource: 't',
      }),
    ).toThrow(/UNIQUE/);
  });

  it('refuses a database written by a newer nyhetsbrev with DatabaseError', () => {
    const path = join(tempDir(), 'future.db');
    const db = new Database(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    const error = thrown(() => openStore(path));
    expect(error.name).toBe('DatabaseError');
    expect(error.message).toContain('newer than this nyhetsbrev knows');
  });

  it('refuses a file that is not a database with DatabaseError and a hint', () => {
    const path = join(tempDir(), 'notes.db');
    writeFileSync(
      path,
      'this is not a database, just some text that is long enough to have a header'.repeat(10),
    );
    const error = thrown(() => openStore(path));
    expect(error.name).toBe('DatabaseError');
    expect(error.hint).toContain('not an SQLite database');
  });

  it('finds a subscriber by id as well as by lowercase key', () => {
    const store = tempStore();
    const { id } = store.insertSubscriber({
      email: 'Anna@example.org',
      emailKey: 'anna@example.org',
      name: null,
      status: 'pending',
      consentSource: 'web',
    });
    expect(store.findSubscriberById(id)).toEqual(store.findSubscriber('anna@example.org'));
    expect(store.findSubscriberById(id + 1)).toBeUndefined();
  });

  it('keeps the first suppression reason except that forgotten overrides it, and lifts it on request', () => {
    const store = tempStore();
    store.suppress('a@example.org', 'unsubscribed');
    store.suppress('a@example.org', 'bounced');
    expect(store.suppression('a@example.org')?.reason).toBe('unsubscribed');
    store.suppress('a@example.org', 'forgotten');
    expect(store.suppression('a@example.org')?.reason).toBe('forgotten');
    expect(store.unsuppress('a@example.org')).toBe(true);
    expect(store.suppression('a@example.org')).toBeUndefined();
    expect(store.unsuppress('a@example.org')).toBe(false);
  });
});
