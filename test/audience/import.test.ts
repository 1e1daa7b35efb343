import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { addSubscriber, forgetPerson, removeSubscriber, summariseImport } from '../../src/audience/index.ts';
import { CSV_FIXTURES, emails, importCsv, tempStore } from './helpers.ts';

const fixture = (name: string): Buffer => readFileSync(join(CSV_FIXTURES, name, 'input.csv'));

describe('importing subscribers', () => {
  it('imports a clean file as active members with the import as consent source', () => {
    const store = tempStore();
    const report = importCsv(store, fixture('clean'), 'arkiv');
    expect(summariseImport(report)).toBe('5 added, 0 already present');
    const rows = store.listSubscribers();
    expect(rows).toHaveLength(5);
    expect(
      rows.every(
        (row) =>
          row.status === 'active' && row.consentSource === 'import:input.csv' && row.consentAt !== null,
      ),
    ).toBe(true);
    expect(rows.every((row) => row.lists.join() === 'arkiv')).toBe(true);
    expect(store.findSubscriber('lars.nilsson@example.org')?.name).toBeNull();
  });

  it('imports the good rows of a messy file and reports the bad lines in the summary', () => {
    const store = tempStore();
    const report = importCsv(store, fixture('messy'));
    expect(report.committed).toBe(true);
    expect(emails(store)).toEqual([
      'Anna.Lindqvist@example.org',
      'ebba.lundgren@transportstyrelsen.test',
      'erik.johansson@example.com',
      'sofia.bergstrom@example.org',
    ]);
    expect(summariseImport(report)).toBe(
      '4 added, 0 already present, 2 duplicate row(s) merged, 6 row(s) rejected (lines 6, 8, 10, 12, 13, 15)',
    );
  });

  it('imports nothing with strict when any row is bad', () => {
    const store = tempStore();
    const report = importCsv(store, fixture('messy'), 'arkiv', true);
    expect(report.committed).toBe(false);
    expect(report.rejected).toHaveLength(6);
    expect(emails(store)).toEqual([]);
  });

  it('imports everything with strict when every row is good', () => {
    const store = tempStore();
    expect(importCsv(store, fixture('windows-1252'), 'arkiv', true).committed).toBe(true);
    expect(store.findSubscriber('asa.holm@example.org')?.name).toBe('Åsa Holm');
  });

  it('counts addresses already on the list as already present, and adds existing people to a new list', () => {
    const store = tempStore();
    importCsv(store, fixture('clean'), 'arkiv');
    expect(summariseImport(importCsv(store, fixture('clean'), 'arkiv'))).toBe('0 added, 5 already present');
    const report = importCsv(store, fixture('quoted-commas'), 'upphandling');
    expect(report).toMatchObject({ added: 4, created: 1, present: 0 });
    expect(store.listSubscribers({ list: 'upphandling' }).map((row) => row.email)).toHaveLength(4);
    expect(
      store.memberships(store.findSubscriber('anna.lindqvist@example.org')!.id).map((m) => m.listId),
    ).toEqual(['arkiv', 'upphandling']);
  });

  it('fills in a missing name but never overwrites a stored one', () => {
    const store = tempStore();
    importCsv(store, 'email,name\nlars.nilsson@example.org,\nanna.lindqvist@example.org,Anna Lindqvist\n');
    importCsv(
      store,
      'email,name\nlars.nilsson@example.org,Lars Nilsson\nanna.lindqvist@example.org,Someone Else\n',
    );
    expect(store.findSubscriber('lars.nilsson@example.org')?.name).toBe('Lars Nilsson');
    expect(store.findSubscriber('anna.lindqvist@example.org')?.name).toBe('Anna Lindqvist');
  });

  it('puts rows with their own lists column on those lists and the others on --list', () => {
    const store = tempStore();
    importCsv(store, 'email;forum\na@example.org;arkiv upphandling\nb@example.org;\n', 'nyhetsbrev');
    expect(store.listSubscribers().map((row) => [row.email, row.lists])).toEqual([
      ['a@example.org', ['arkiv', 'upphandling']],
      ['b@example.org', ['nyhetsbrev']],
    ]);
  });

  it('keeps --list for a merged address whose first row had an empty list cell, and the reverse', () => {
    const store = tempStore();
    importCsv(
      store,
      'email;forum\na@example.org;\nb@example.org;arkiv\nA@example.org;upphandling\nB@example.org;\n',
      'nyhetsbrev',
    );
    expect(store.listSubscribers().map((row) => [row.email, row.lists])).toEqual([
      ['a@example.org', ['nyhetsbrev', 'upphandling']],
      ['b@example.org', ['arkiv', 'nyhetsbrev']],
    ]);
  });

  it('imports nothing from a file that mixes UTF-8 and Windows-1252, naming the line', () => {
    const store = tempStore();
    const bytes = Buffer.concat([
      Buffer.from('email,name\nasa@example.org,Åsa Holm\n'),
      iconv.encode('bjorn@example.org,Björn\n', 'win1252'),
    ]);
    expect(() => importCsv(store, bytes)).toThrow(
      expect.objectContaining({ name: 'ImportFailed', place: 'input.csv:3' }),
    );
    expect(emails(store)).toEqual([]);
  });

  it('activates a pending subscriber that the operator imports', () => {
    const store = tempStore();
    store.insertSubscriber({
      email: 'p@example.org',
      emailKey: 'p@example.org',
      name: null,
      status: 'pending',
      consentSource: 'web',
    });
    importCsv(store, 'email\np@example.org\n');
    expect(store.findSubscriber('p@example.org')).toMatchObject({
      status: 'active',
      consentSource: 'import:input.csv',
    });
  });
});

describe('suppressed addresses are never reactivated by an import', () => {
  it.each(['unsubscribed', 'bounced', 'complained'] as const)(
    'skips an address whose status is %s',
    (status) => {
      const store = tempStore();
      const { id } = store.insertSubscriber({
        email: 'x@example.org',
        emailKey: 'x@example.org',
        name: null,
        status,
        consentSource: 'web',
      });
      const report = importCsv(store, 'email\nX@Example.org\nok@example.org\n');
      expect(report.suppressed).toEqual([2]);
      expect(summariseImport(report)).toContain(
        '1 skipped because they unsubscribed, bounced or were forgotten (line 2)',
      );
      expect(store.findSubscriber('x@example.org')?.status).toBe(status);
      expect(store.memberships(id)).toEqual([]);
    },
  );

  it('skips an address removed with `remove` (unsubscribed and suppressed)', () => {
    const store = tempStore();
    addSubscriber(store, 'u@example.org', { lists: ['arkiv'] });
    removeSubscriber(store, 'u@example.org');
    expect(importCsv(store, 'email\nu@example.org\n', 'upphandling').suppressed).toEqual([2]);
    expect(store.findSubscriber('u@example.org')?.status).toBe('unsubscribed');
  });

  it('skips a forgotten address, although nothing but its keyed hash is stored', () => {
    const store = tempStore();
    importCsv(store, fixture('clean'));
    forgetPerson(store, 'maria.karlsson@skatteverket.test');
    const report = importCsv(store, fixture('clean'));
    expect(report.suppressed).toEqual([4]);
    expect(store.findSubscriber('maria.karlsson@skatteverket.test')).toBeUndefined();
  });

  it('refuses to `add` a forgotten address with SubscriberSuppressed', () => {
    const store = tempStore();
    forgetPerson(store, 'gone@example.org');
    expect(() => addSubscriber(store, 'Gone@example.org', { lists: ['arkiv'] })).toThrow(
      expect.objectContaining({ name: 'SubscriberSuppressed' }),
    );
    expect(emails(store)).toEqual([]);
  });
});
