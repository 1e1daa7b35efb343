import { describe, expect, it } from 'vitest';
import {
  addSubscriber,
  audience,
  forgetPerson,
  removeSubscriber,
  type Store,
} from '../../src/audience/index.ts';
import { importCsv, tempStore } from './helpers.ts';

function seed(): Store {
  const store = tempStore();
  importCsv(
    store,
    'email,name\nErik@example.com,Erik\nanna@example.org,Anna\ncecilia@example.org,Cecilia\n',
    'arkiv',
  );
  importCsv(
    store,
    'email,name\nanna@example.org,Anna\ndavid@example.org,David\nerik@EXAMPLE.com,Erik\n',
    'upphandling',
  );
  return store;
}

describe('audience', () => {
  it('returns each active member once, with the chosen lists they are in, ordered by lowercase address', () => {
    const store = seed();
    const recipients = audience(store);
    expect(recipients.map((r) => ({ email: r.email, name: r.name, lists: r.lists }))).toEqual([
      { email: 'anna@example.org', name: 'Anna', lists: ['arkiv', 'upphandling'] },
      { email: 'cecilia@example.org', name: 'Cecilia', lists: ['arkiv'] },
      { email: 'david@example.org', name: 'David', lists: ['upphandling'] },
      { email: 'Erik@example.com', name: 'Erik', lists: ['arkiv', 'upphandling'] },
    ]);
    expect(recipients.map((r) => r.subscriberId)).toEqual(
      recipients.map((r) => store.findSubscriber(r.email.toLowerCase())!.id),
    );
  });

  it('limits to the chosen lists', () => {
    const recipients = audience(seed(), ['upphandling']);
    expect(recipients.map((r) => [r.email, r.lists])).toEqual([
      ['anna@example.org', ['upphandling']],
      ['david@example.org', ['upphandling']],
      ['Erik@example.com', ['upphandling']],
    ]);
  });

  it('returns nobody for an empty list selection and for a list without members', () => {
    const store = seed();
    expect(audience(store, [])).toEqual([]);
    expect(audience(store, ['nyhetsbrev'])).toEqual([]);
  });

  it('leaves out pending, unsubscribed, bounced and complained subscribers', () => {
    const store = seed();
    const set = (email: string, status: 'pending' | 'bounced' | 'complained') =>
      store.updateSubscriber(store.findSubscriber(email)!.id, { status });
    set('anna@example.org', 'bounced');
    set('cecilia@example.org', 'complained');
    set('david@example.org', 'pending');
    removeSubscriber(store, 'erik@example.com');
    expect(audience(store)).toEqual([]);
  });

  it('leaves out an active subscriber whose address hash is suppressed', () => {
    const store = seed();
    store.suppress('cecilia@example.org', 'manual');
    expect(store.findSubscriber('cecilia@example.org')?.status).toBe('active');
    expect(audience(store).map((r) => r.email)).not.toContain('cecilia@example.org');
  });

  it('never brings back a forgotten address, even when it is imported or added again', () => {
    const store = seed();
    forgetPerson(store, 'anna@example.org');
    importCsv(store, 'email\nanna@example.org\n', 'arkiv');
    expect(() => addSubscriber(store, 'anna@example.org', { lists: ['arkiv'] })).toThrow();
    expect(audience(store).map((r) => r.email)).toEqual([
      'cecilia@example.org',
      'david@example.org',
      'Erik@example.com',
    ]);
  });

  it('gives the same order whatever order people were added in', () => {
    const store = tempStore();
    importCsv(store, 'email\nb@example.org\nC@example.org\na@example.org\n');
    const again = tempStore();
    importCsv(again, 'email\na@example.org\nb@example.org\nC@example.org\n');
    expect(audience(store).map((r) => r.email)).toEqual(['a@example.org', 'b@example.org', 'C@example.org']);
    expect(audience(again).map((r) => r.email)).toEqual(audience(store).map((r) => r.email));
  });
});
