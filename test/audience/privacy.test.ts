import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportPerson, forgetPerson, openStore, type Store } from '../../src/audience/index.ts';
import { importCsv, tempDir, tempStore } from './helpers.ts';

/** Freezes a one-recipient campaign into the sender's tables, as `send` will. */
function deliverTo(store: Store, email: string, issue: string): void {
  const subscriber = store.findSubscriber(email.toLowerCase())!;
  const { lastInsertRowid } = store.db
    .prepare(
      "INSERT INTO campaigns (issue_id, subject, lists, status, created_at) VALUES (?, ?, '[\"arkiv\"]', 'complete', ?)",
    )
    .run(issue, `Nyhetsbrev ${issue}`, store.now());
  store.db
    .prepare(
      `INSERT INTO deliveries (campaign_id, position, subscriber_id, email, name, chunk, status, provider_id, error, attempts, updated_at)
       VALUES (?, 0, ?, ?, ?, 0, 'sent', 'prov-123', ?, 1, ?)`,
    )
    .run(
      lastInsertRowid,
      subscriber.id,
      subscriber.email,
      subscriber.name,
      `550 ${subscriber.email} greylisted`,
      store.now(),
    );
}

function fileBytes(path: string): string {
  const parts = [path, `${path}-wal`].filter(existsSync).map((file) => readFileSync(file).toString('latin1'));
  return parts.join('\n').toLowerCase();
}

describe('export and forget', () => {
  it('exports the subscriber row, memberships and deliveries of one address, case-insensitively', () => {
    const store = tempStore();
    importCsv(store, 'email,name\nAnna.Lindqvist@example.org,Anna Lindqvist\n', 'arkiv');
    deliverTo(store, 'anna.lindqvist@example.org', '2026-10');
    const data = exportPerson(store, 'ANNA.LINDQVIST@example.org');
    expect(data.subscriber).toMatchObject({
      email: 'Anna.Lindqvist@example.org',
      name: 'Anna Lindqvist',
      status: 'active',
      consentSource: 'import:input.csv',
    });
    expect(data.memberships).toEqual([
      { listId: 'arkiv', source: 'import:input.csv', createdAt: '2026-11-02T09:00:00.000Z' },
    ]);
    expect(data.deliveries).toEqual([
      expect.objectContaining({ issue_id: '2026-10', status: 'sent', email: 'Anna.Lindqvist@example.org' }),
    ]);
    expect(data.suppression).toBeNull();
  });

  it('exports a pending web-form confirmation: the name typed, the lists chosen, the consent version, its times', () => {
    const store = tempStore();
    const { id } = store.insertSubscriber({
      email: 'fia@example.org',
      emailKey: 'fia@example.org',
      name: null,
      status: 'pending',
      consentSource: 'web',
      consentTextVersion: 'samtycke-2026-01',
    });
    store.db
      .prepare(
        `INSERT INTO confirmations (token_hash, subscriber_id, lists, name, consent_text_version, created_at, expires_at)
         VALUES (?, ?, '["nyhetsbrev","tillganglighet"]', 'Fia Formulär', 'samtycke-2026-01', ?, ?)`,
      )
      .run('ab'.repeat(32), id, '2026-11-02T09:00:00.000Z', '2026-11-09T09:00:00.000Z');
    const data = exportPerson(store, 'fia@example.org');
    expect(data.confirmations).toEqual([
      {
        name: 'Fia Formulär',
        lists: ['nyhetsbrev', 'tillganglighet'],
        consentTextVersion: 'samtycke-2026-01',
        createdAt: '2026-11-02T09:00:00.000Z',
        expiresAt: '2026-11-09T09:00:00.000Z',
        usedAt: null,
      },
    ]);
    expect(data.subscriber).toMatchObject({ status: 'pending', tokenKey: store.tokenKey(id) });
    expect(JSON.stringify(data)).toContain('Fia Formulär');
  });

  it('export → forget → export: the data is gone and the database files hold no trace of the address or name', () => {
    const path = join(tempDir(), 'subscribers', 'nyhetsbrev.db');
    const store = openStore(path, { env: {} });
    importCsv(
      store,
      'email,name\nAnna.Lindqvist@example.org,Anna Lindqvist\nerik@example.org,Erik\n',
      'arkiv',
    );
    deliverTo(store, 'anna.lindqvist@example.org', '2026-10');
    deliverTo(store, 'anna.lindqvist@example.org', '2026-11');
    expect(exportPerson(store, 'anna.lindqvist@example.org').deliveries).toHaveLength(2);
    expect(fileBytes(path)).toContain('anna.lindqvist@example.org');

    const result = forgetPerson(store, 'anna.lindqvist@example.org');
    expect(result).toEqual({
      email: 'anna.lindqvist@example.org',
      subscriber: true,
      deliveries: 2,
      walCleared: true,
    });
    const after = exportPerson(store, 'anna.lindqvist@example.org');
    expect(after).toMatchObject({
      subscriber: null,
      memberships: [],
      deliveries: [],
      suppression: { reason: 'forgotten' },
    });
    expect(
      store.db
        .prepare('SELECT count(*) FROM deliveries WHERE email IS NULL AND name IS NULL AND error IS NULL')
        .pluck()
        .get(),
    ).toBe(2);

    // While the database is still open (as under a running `serve`) and after it is closed.
    for (const bytes of [fileBytes(path), (store.close(), fileBytes(path))]) {
      expect(bytes).not.toContain('anna.lindqvist');
      expect(bytes).not.toContain('anna lindqvist');
      expect(bytes).toContain('erik@example.org');
    }
  });

  it('keeps delivery rows (positions hold) but marks a queued delivery to a forgotten person as skipped', () => {
    const store = tempStore();
    importCsv(store, 'email\nq@example.org\n');
    deliverTo(store, 'q@example.org', '2026-12');
    store.db.prepare("UPDATE deliveries SET status = 'queued'").run();
    forgetPerson(store, 'q@example.org');
    expect(store.db.prepare('SELECT position, status, email, subscriber_id FROM deliveries').all()).toEqual([
      { position: 0, status: 'skipped', email: null, subscriber_id: null },
    ]);
  });

  it('suppresses an address that was never stored, so a later import skips it', () => {
    const store = tempStore();
    expect(forgetPerson(store, 'never@example.org')).toMatchObject({ subscriber: false, deliveries: 0 });
    expect(importCsv(store, 'email\nnever@example.org\n').suppressed).toEqual([2]);
  });

  it('throws SubscriberNotFound when exporting an address nothing is stored about', () => {
    expect(() => exportPerson(tempStore(), 'nobody@example.org')).toThrow(
      expect.objectContaining({ name: 'SubscriberNotFound' }),
    );
  });
});

describe('the suppression key', () => {
  it('with NYHETSBREV_SECRET set, keeps no key in the database', () => {
    const store = tempStore({ env: { NYHETSBREV_SECRET: 's3cret' } });
    forgetPerson(store, 'a@example.org');
    expect(store.db.prepare("SELECT value FROM meta WHERE key = 'suppression_key'").get()).toBeUndefined();
    expect(store.suppression('a@example.org')?.reason).toBe('forgotten');
  });

  it('refuses to hash with a different key than the stored suppressions were made with', () => {
    const path = join(tempDir(), 'db.sqlite');
    const first = openStore(path, { env: {} });
    forgetPerson(first, 'a@example.org');
    first.close();
    const second = openStore(path, { env: { NYHETSBREV_SECRET: 'new secret' } });
    expect(() => second.suppression('a@example.org')).toThrow(
      expect.objectContaining({ name: 'SuppressionKeyChanged' }),
    );
    second.close();
  });
});
