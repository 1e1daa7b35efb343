import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetPerson } from '../../src/audience/index.ts';
import { signedToken } from '../../src/tokens.ts';
import { schema3Database, seedIdReuse } from '../support/schema3.ts';
import {
  insertActive,
  postForm,
  SECRET,
  snapshot,
  serverForFile,
  startTestServer,
  subscriberRow,
  type TestServer,
  unsubscribeTokenOf,
} from './helpers.ts';

let server: TestServer;
serverForFile((started) => (server = started));

/** An active subscriber of the default list, and their unsubscribe URL. */
function activeSubscriber(email: string): { id: number; url: string } {
  const id = insertActive(server, email, ['nyhetsbrev']);
  return { id, url: `${server.endpoint}avregistrera?t=${unsubscribeTokenOf(server, id)}` };
}

const oneClick = (url: string) => postForm(url, { 'List-Unsubscribe': 'One-Click' });

describe('GET /avregistrera', () => {
  it('shows a page with a button that posts the one-click body to the same URL, and never unsubscribes', async () => {
    const { url } = activeSubscriber('titta@example.org');
    const before = snapshot(server);
    for (let i = 0; i < 3; i++) {
      const page = await fetch(url, { redirect: 'manual' });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<button type="submit">Avregistrera mig</button>');
      expect(html).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
      const action = html
        .match(/<form class="action-form" action="([^"]+)" method="post">/)?.[1]
        ?.replace(/&#x3D;/g, '=');
      expect(new URL(action!, url).href).toBe(url);
    }
    expect(snapshot(server)).toBe(before);
    expect(subscriberRow(server, 'titta@example.org')!.status).toBe('active');
  });
});

describe('POST /avregistrera (RFC 8058 one-click)', () => {
  it('unsubscribes at once with 200, no redirect and no cookie, and suppresses the address', async () => {
    const { url } = activeSubscriber('klick@example.org');
    const response = await oneClick(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(subscriberRow(server, 'klick@example.org')!.status).toBe('unsubscribed');
    expect(server.deps.store.suppression('klick@example.org')?.reason).toBe('unsubscribed');
  });

  it('is idempotent: 50 concurrent POSTs for one address leave one consistent row', async () => {
    const { id, url } = activeSubscriber('femtio@example.org');
    const responses = await Promise.all(Array.from({ length: 50 }, () => oneClick(url)));
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    const db = server.deps.store.db;
    const rows = db
      .prepare('SELECT id, status FROM subscribers WHERE email_key = ?')
      .all('femtio@example.org');
    expect(rows).toEqual([{ id, status: 'unsubscribed' }]);
    const hash = server.deps.store.hashEmail('femtio@example.org');
    expect(db.prepare('SELECT reason FROM suppressions WHERE email_hash = ?').all(hash)).toEqual([
      { reason: 'unsubscribed' },
    ]);
    expect(server.deps.store.memberships(id).map((m) => m.listId)).toEqual(['nyhetsbrev']);
    const after = snapshot(server);
    expect((await oneClick(url)).status).toBe(200);
    expect(snapshot(server)).toBe(after);
    expect(server.logs.filter((line) => line === 'unsubscribe: done')).toHaveLength(1 + 1); // klick@ and femtio@
  });

  it('refuses tampered and foreign tokens with a clear error page and changes nothing', async () => {
    const { id } = activeSubscriber('skyddad@example.org');
    const token = unsubscribeTokenOf(server, id);
    const [payload, signature] = token.split('.') as [string, string];
    const bad = [
      `${Buffer.from(String(id + 1)).toString('base64url')}.${signature}`,
      `${payload}.${signature.slice(1)}`,
      unsubscribeTokenOf(server, id, 'another-secret-of-another-deployment-000'),
      signedToken(SECRET, 'confirm', String(id)),
      'nonsense',
    ];
    const before = snapshot(server);
    for (const token of bad) {
      const url = `${server.endpoint}avregistrera?t=${encodeURIComponent(token)}`;
      for (const response of [await fetch(url), await oneClick(url)]) {
        expect(response.status).toBe(400);
        expect(await response.text()).toContain('Länken fungerar inte');
      }
    }
    expect((await oneClick(`${server.endpoint}avregistrera`)).status).toBe(400);
    expect(snapshot(server)).toBe(before);
  });

  it('needs the List-Unsubscribe=One-Click body: another POST changes nothing', async () => {
    const { url } = activeSubscriber('utan.kropp@example.org');
    const before = snapshot(server);
    expect((await fetch(url, { method: 'POST' })).status).toBe(400);
    expect((await postForm(url, { 'List-Unsubscribe': 'Nej' })).status).toBe(400);
    expect(snapshot(server)).toBe(before);
  });

  it('keeps a bounced subscriber bounced (it says more) and answers 200', async () => {
    const { id, url } = activeSubscriber('studs@example.org');
    server.deps.store.updateSubscriber(id, { status: 'bounced' });
    expect((await oneClick(url)).status).toBe(200);
    expect(subscriberRow(server, 'studs@example.org')!.status).toBe('bounced');
    expect(server.deps.store.suppression('studs@example.org')?.reason).toBe('unsubscribed');
  });

  it("does nothing to whoever subscribes next with a forgotten person's old link", async () => {
    const { url } = activeSubscriber('glomd@example.org');
    forgetPerson(server.deps.store, 'glomd@example.org');
    const next = activeSubscriber('nasta@example.org');
    const before = snapshot(server);
    const response = await oneClick(url);
    expect(response.status).toBe(200); // the forgotten person is suppressed: true for them
    expect(snapshot(server)).toBe(before);
    expect(subscriberRow(server, 'nasta@example.org')!.status).toBe('active');
    expect(server.deps.store.suppression('nasta@example.org')).toBeUndefined();
    expect((await oneClick(next.url)).status).toBe(200);
    expect(subscriberRow(server, 'nasta@example.org')!.status).toBe('unsubscribed');
  });

  it('answers 200 for a subscriber who was erased since: they are already suppressed', async () => {
    const { url } = activeSubscriber('raderad@example.org');
    server.deps.store.transaction(() => {
      server.deps.store.erase('raderad@example.org');
      server.deps.store.suppress('raderad@example.org', 'forgotten');
    });
    const before = snapshot(server);
    expect((await oneClick(url)).status).toBe(200);
    expect(snapshot(server)).toBe(before);
  });
});

describe('links sent before schema 4 (the id alone)', () => {
  let old: TestServer;
  /** The id-only link releases before schema 4 put in emails. */
  const v1Link = (id: number) =>
    `${old.endpoint}avregistrera?t=${signedToken(SECRET, 'unsubscribe', String(id))}`;

  beforeAll(async () => {
    // Dan (id 3) got two issues and was forgotten; Eva then got id 3 (test/support/schema3.ts).
    old = await startTestServer({
      seed: (database) => {
        const db = schema3Database(database);
        seedIdReuse(db);
        db.close();
      },
    });
  });

  afterAll(async () => {
    await old?.stop();
  });

  it('still unsubscribe a subscriber whose id cannot have been anyone else’s', async () => {
    expect((await fetch(v1Link(1))).status).toBe(200);
    const response = await postForm(v1Link(1), { 'List-Unsubscribe': 'One-Click' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Du är avregistrerad');
    expect(subscriberRow(old, 'anna@example.org')!.status).toBe('unsubscribed');
  });

  it("do nothing to the person who got a forgotten person's id: the page says the link is too old", async () => {
    const before = snapshot(old);
    for (const response of [
      await fetch(v1Link(3)),
      await postForm(v1Link(3), { 'List-Unsubscribe': 'One-Click' }),
    ]) {
      expect(response.status).toBe(410);
      expect(await response.text()).toContain('kommer från ett äldre nyhetsbrev');
    }
    expect(snapshot(old)).toBe(before);
    expect(subscriberRow(old, 'eva@example.org')!.status).toBe('active');
    // Eva's own links, in every issue sent from now on, work.
    const response = await postForm(`${old.endpoint}avregistrera?t=${unsubscribeTokenOf(old, 3)}`, {
      'List-Unsubscribe': 'One-Click',
    });
    expect(response.status).toBe(200);
    expect(subscriberRow(old, 'eva@example.org')!.status).toBe('unsubscribed');
  });

  it('act on no one once their person is forgotten, whoever subscribes next', async () => {
    forgetPerson(old.deps.store, 'bo@example.org');
    const next = old.deps.store.insertSubscriber({
      email: 'efter@example.org',
      emailKey: 'efter@example.org',
      name: null,
      status: 'active',
      consentSource: 'cli:add',
    });
    expect(next.id).toBeGreaterThan(5);
    const before = snapshot(old);
    expect((await postForm(v1Link(2), { 'List-Unsubscribe': 'One-Click' })).status).toBe(200);
    expect((await postForm(v1Link(next.id), { 'List-Unsubscribe': 'One-Click' })).status).toBe(410);
    expect(snapshot(old)).toBe(before);
  });
});
