import { describe, expect, it } from 'vitest';
import { preferencesToken } from '../../src/tokens.ts';
import {
  holdWriteLock,
  insertActive,
  membershipsOf,
  postForm,
  SECRET,
  snapshot,
  serverForFile,
  subscriberRow,
  type TestServer,
  unsubscribeTokenOf,
} from './helpers.ts';

let server: TestServer;
serverForFile((started) => (server = started));

/** An active subscriber of the given lists, and the preferences URL of their emails. */
function subscriber(email: string, lists: string[]): { id: number; url: string } {
  const id = insertActive(server, email, lists);
  const token = preferencesToken(SECRET, { id, tokenKey: server.deps.store.tokenKey(id)! });
  return { id, url: `${server.endpoint}installningar?t=${token}` };
}

const decode = (value: string) => value.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

describe('GET /installningar', () => {
  it('shows the public lists and the person’s own forums, theirs ticked, and changes nothing', async () => {
    const { id, url } = subscriber('val@example.org', ['nyhetsbrev', 'arkiv']);
    const before = snapshot(server);
    const html = await (await fetch(url)).text();
    expect(html).toContain(
      '<input type="checkbox" id="lista-nyhetsbrev" name="lists" value="nyhetsbrev" checked',
    );
    expect(html).toContain(
      '<input type="checkbox" id="lista-tillganglighet" name="lists" value="tillganglighet" aria',
    );
    expect(html).toContain('<input type="checkbox" id="lista-arkiv" name="lists" value="arkiv" checked');
    // The one-click unsubscribe of the same person, on the same page.
    const leave = decode(html.match(/<form class="action-form" action="([^"]+)" method="post">/)![1]!);
    expect(new URL(leave, url).href).toBe(
      `${server.endpoint}avregistrera?t=${unsubscribeTokenOf(server, id)}`,
    );
    expect(snapshot(server)).toBe(before);
  });

  it('does not show a forum that is not public to someone outside it', async () => {
    const { url } = subscriber('utanfor@example.org', ['nyhetsbrev']);
    expect(await (await fetch(url)).text()).not.toContain('value="arkiv"');
  });

  it('refuses a tampered link (400), an unsubscribe token (400) and a forgotten person’s link (410)', async () => {
    const { id, url } = subscriber('lank@example.org', ['nyhetsbrev']);
    expect((await fetch(`${url.slice(0, -2)}xx`)).status).toBe(400);
    expect((await fetch(`${server.endpoint}installningar?t=${unsubscribeTokenOf(server, id)}`)).status).toBe(
      400,
    );
    server.deps.store.db.prepare('UPDATE subscribers SET token_key = ? WHERE id = ?').run('f'.repeat(32), id);
    expect((await fetch(url)).status).toBe(410);
  });
});

describe('POST /installningar', () => {
  it('joins and leaves lists as ticked', async () => {
    const { id, url } = subscriber('byta@example.org', ['nyhetsbrev', 'arkiv']);
    const response = await postForm(url, { lists: ['tillganglighet', 'nyhetsbrev'] });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Du får nu: Nyhetsbrevet, Nätverket för digital tillgänglighet.');
    expect(membershipsOf(server, id)).toEqual(['nyhetsbrev', 'tillganglighet']);
    expect(subscriberRow(server, 'byta@example.org')!.status).toBe('active');
  });

  it('ignores a forum that is neither public nor the person’s own', async () => {
    const { id, url } = subscriber('smyga@example.org', ['nyhetsbrev']);
    await postForm(url, { lists: ['nyhetsbrev', 'arkiv'] });
    expect(membershipsOf(server, id)).toEqual(['nyhetsbrev']);
  });

  it('unsubscribes and suppresses when no list is ticked; the page then says the person is stopped', async () => {
    const { url } = subscriber('inget@example.org', ['nyhetsbrev']);
    const response = await postForm(url, {});
    expect(await response.text()).toContain('Du är avregistrerad');
    expect(subscriberRow(server, 'inget@example.org')!.status).toBe('unsubscribed');
    expect(server.deps.store.suppression('inget@example.org')?.reason).toBe('unsubscribed');
    expect((await fetch(url)).status).toBe(409);
  });

  it('answers 503 and changes nothing while another process holds the write lock', async () => {
    const { id, url } = subscriber('upptagen@example.org', ['nyhetsbrev']);
    const lock = holdWriteLock(server.deps.store.path);
    try {
      const response = await postForm(url, { lists: ['tillganglighet'] });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
    } finally {
      lock.release();
    }
    expect(membershipsOf(server, id)).toEqual(['nyhetsbrev']);
  });
});
