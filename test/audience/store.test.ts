import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { forgetPerson, MIGRATIONS, openStore } from '../../src/audience/index.ts';
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

describe('openStore refuses a file it does not own, and leaves it as it was', () => {
  /** Makes `path`, opens it with openStore and checks the DatabaseError and that no byte changed. */
  function refused(make: (path: string) => void, message: RegExp): void {
    const path = join(tempDir(), 'subscribers.db');
    make(path);
    const before = readFileSync(path);
    const error = thrown(() => openStore(path, { env: {} }));
    expect(error.name).toBe('DatabaseError');
    expect(error.message).toMatch(message);
    expect(error.hint).toContain('The file was not changed.');
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
  }
  const sqlite = (sql: string) => (path: string) => {
    const db = new Database(path);
    db.exec(sql);
    db.close();
  };

  it("another application's SQLite database", () => {
    refused(
      sqlite("CREATE TABLE notes (text); INSERT INTO notes VALUES ('keep me'); PRAGMA user_version = 7"),
      /not a nyhetsbrev one \(its tables: notes\)/,
    );
  });

  it('another application’s database that happens to have a subscribers table', () => {
    refused(
      sqlite('CREATE TABLE subscribers (address); INSERT INTO subscribers VALUES (1)'),
      /not a nyhetsbrev one \(its tables: subscribers\)/,
    );
  });

  it('a database that names another application in its application_id, whatever its tables', () => {
    refused((path) => {
      const store = openStore(path, { env: {} });
      store.close();
      const db = new Database(path);
      db.pragma('application_id = 1234');
      db.pragma('journal_mode = DELETE');
      db.close();
    }, /belongs to another application \(SQLite application_id 1234\)/);
  });

  it('a nyhetsbrev database of a newer schema version, kept in its own journal mode', () => {
    refused((path) => {
      openStore(path, { env: {} }).close();
      const db = new Database(path);
      db.pragma('journal_mode = DELETE');
      db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
      db.close();
    }, /schema version \d+, newer than this nyhetsbrev knows/);
  });

  it('a newer nyhetsbrev database whose WAL a crash left behind: the WAL is not folded into the file', () => {
    const dir = tempDir();
    const [live, path] = [join(dir, 'live.db'), join(dir, 'crashed.db')];
    const store = openStore(live, { env: {} });
    store.db.pragma(`user_version = ${MIGRATIONS.length + 1}`); // in the WAL, not yet in the file
    // A copy taken while the database is open is what a crash leaves: the file and its WAL.
    copyFileSync(live, path);
    copyFileSync(`${live}-wal`, `${path}-wal`);
    store.close();
    const before = [readFileSync(path), readFileSync(`${path}-wal`)];
    const error = thrown(() => openStore(path, { env: {} }));
    expect(error.message).toMatch(/newer than this nyhetsbrev knows/);
    expect(readFileSync(path).equals(before[0]!)).toBe(true);
    expect(readFileSync(`${path}-wal`).equals(before[1]!)).toBe(true);
  });

  it('an empty file: a truncated copy must not become a new, empty subscriber list', () => {
    refused((path) => writeFileSync(path, ''), /is an empty file \(0 bytes\), not a nyhetsbrev database/);
  });

  it('an SQLite database without tables', () => {
    refused(sqlite('CREATE TABLE t (x); DROP TABLE t'), /is an SQLite database without tables/);
  });

  it('random bytes', () => {
    refused((path) => writeFileSync(path, randomBytes(8192)), /not a database/);
  });

  it('refuses a path under a regular file with DatabaseError', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'text');
    for (const path of [join(file, 'db.sqlite'), join(file, 'sub', 'db.sqlite')]) {
      const error = thrown(() => openStore(path, { env: {} }));
      expect(error.name).toBe('DatabaseError');
      expect(error.hint).toContain('A part of the path is a file');
    }
    expect(readFileSync(file, 'utf8')).toBe('text');
  });

  it('creates a new database whole, leaving nothing else in its folder', () => {
    const dir = join(tempDir(), 'subscribers');
    openStore(join(dir, 'nyhetsbrev.db'), { env: {} }).close();
    expect(readdirSync(dir)).toEqual(['nyhetsbrev.db']);
    const reopened = openStore(join(dir, 'nyhetsbrev.db'), { env: {} });
    expect(reopened.db.pragma('application_id', { simple: true })).toBe(0x4e594842);
    reopened.close();
  });

  it('never gives a forgotten person’s id to the next subscriber', () => {
    const store = tempStore();
    const add = (email: string) =>
      store.insertSubscriber({ email, emailKey: email, name: null, status: 'active', consentSource: 't' });
    add('a@example.org');
    const forgotten = add('b@example.org');
    forgetPerson(store, 'b@example.org');
    expect(add('c@example.org').id).toBeGreaterThan(forgotten.id);
  });
});
