import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/audience/store.ts';
import { parseConfig } from '../../src/config/load.ts';
import { isUserError } from '../../src/errors.ts';
import { startServer } from '../../src/serve/index.ts';
import { LISTS_YML, SECRET, startTestServer } from './helpers.ts';

const BIN = resolve('bin/nyhetsbrev.js');
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A folder with nyhetsbrev.yml, lists.yml and (when `prepare` is given) a database it made. */
function workspace(prepare?: (database: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'nyhetsbrev-serve-start-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'lists.yml'), LISTS_YML);
  const yml = `organisation: Nätverket
newsletter: Nyhetsbrevet
baseUrl: https://natverket.example.org/nyhetsbrev/
sender:
  from: nyhetsbrev@natverket.example.org
footer: Test.
database: db.sqlite
lists: lists.yml
transport:
  outbox:
    dir: outbox
`;
  writeFileSync(join(dir, 'nyhetsbrev.yml'), yml);
  const database = join(dir, 'db.sqlite');
  prepare?.(database);
  return { dir, database, config: parseConfig(yml, join(dir, 'nyhetsbrev.yml')) };
}

/** A suppression hashed with another NYHETSBREV_SECRET than the one serve is given. */
const suppressedUnderOtherSecret = (database: string) => {
  const store = openStore(database, { env: { NYHETSBREV_SECRET: 'another-secret-0123456789-abcdefghijk' } });
  store.suppress('borta@example.org', 'unsubscribed');
  store.close();
};

/** A database whose purge of expired confirmations fails (a trigger refuses the DELETE). */
const purgeFails = (database: string) => {
  const store = openStore(database, { env: { NYHETSBREV_SECRET: SECRET } });
  addExpiredConfirmation(store.db);
  store.db.exec(
    `CREATE TRIGGER refuse_purge BEFORE DELETE ON confirmations BEGIN SELECT RAISE(ABORT, 'no'); END`,
  );
  store.close();
};

function addExpiredConfirmation(db: Database.Database): void {
  const old = '2020-01-01T00:00:00.000Z';
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO subscribers (email, email_key, status, consent_source, created_at, updated_at)
       VALUES ('gammal@example.org', 'gammal@example.org', 'pending', 'web', ?, ?)`,
    )
    .run(old, old);
  db.prepare(
    `INSERT INTO confirmations (token_hash, subscriber_id, lists, name, consent_text_version, created_at, expires_at)
     VALUES ('x', ?, '[]', NULL, 'v', ?, ?)`,
  ).run(lastInsertRowid, old, old);
}

const serveCli = (dir: string) =>
  spawnSync(process.execPath, [BIN, '--config', join(dir, 'nyhetsbrev.yml'), 'serve', '--port', '0'], {
    env: { ...process.env, NYHETSBREV_SECRET: SECRET, RESEND_WEBHOOK_SECRET: '' },
    encoding: 'utf8',
    // A server left listening never exits by itself: the timeout ends the test as a failure.
    timeout: 60_000,
  });

describe('serve start-up', () => {
  it('refuses to start when NYHETSBREV_SECRET does not match the suppressions: SuppressionKeyChanged, exit 1', () => {
    const { dir } = workspace(suppressedUnderOtherSecret);
    const run = serveCli(dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('SuppressionKeyChanged:');
    expect(run.stdout).not.toContain('listening');
  });

  it('is never left half-alive: a failing start-up purge refuses the start with a named error, exit 1', () => {
    const { dir } = workspace(purgeFails);
    const run = serveCli(dir);
    expect(run.signal).toBeNull();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^ServeRefused: nyhetsbrev serve did not start: it cannot use the database /m);
    expect(run.stdout).not.toContain('listening');
  });

  it('refuses a database it cannot migrate with a named error and opens no port', async () => {
    const { config } = workspace((database) => {
      const db = new Database(database);
      db.exec('CREATE TABLE meta (something_else TEXT)');
      db.close();
    });
    const refused = await startServer(config, {
      port: 0,
      env: { NYHETSBREV_SECRET: SECRET },
      log: () => {},
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isUserError(refused)).toBe(true);
    expect((refused as Error).name).toMatch(/^(DatabaseError|ServeRefused)$/);
  });
});

describe('the hourly purge', () => {
  it('logs a failure and keeps serving; it never crashes the process', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const server = await startTestServer();
    try {
      addExpiredConfirmation(server.deps.store.db);
      server.deps.store.db.exec(
        `CREATE TRIGGER refuse_purge BEFORE DELETE ON confirmations BEGIN SELECT RAISE(ABORT, 'no'); END`,
      );
      vi.advanceTimersByTime(60 * 60 * 1000);
      await vi.waitFor(() =>
        expect(server.logs).toContain('purge failed: SqliteError SQLITE_CONSTRAINT_TRIGGER'),
      );
      vi.useRealTimers();
      expect((await fetch(`${server.endpoint}prenumerera`)).status).toBe(200);
    } finally {
      vi.useRealTimers();
      await server.stop();
    }
  });
});
