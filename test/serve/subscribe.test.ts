import type { ServerResponse } from 'node:http';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  outboxMails,
  postForm,
  snapshot,
  startTestServer,
  subscriberRow,
  subscribeAndGetLink,
  type TestServer,
} from './helpers.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const { store } = server.deps;
  // One address in every state the database knows.
  const add = (email: string, status: 'pending' | 'active' | 'unsubscribed' | 'bounced' | 'complained') =>
    store.insertSubscriber({ email, emailKey: email, name: 'Namn', status, consentSource: 'cli:add' });
  add('aktiv@example.org', 'active');
  add('vantar@example.org', 'pending');
  add('avslutad@example.org', 'unsubscribed');
  store.suppress('avslutad@example.org', 'unsubscribed');
  add('studsad@example.org', 'bounced');
  store.suppress('studsad@example.org', 'bounced');
  add('klagat@example.org', 'complained');
  store.suppress('klagat@example.org', 'complained');
  store.suppress('glomd@example.org', 'forgotten');
  store.suppress('blockerad@example.org', 'manual');
});

afterAll(async () => {
  await server?.stop();
});

const subscribe = (fields: Record<string, string | string[]>) =>
  postForm(`${server.endpoint}prenumerera`, fields);

describe('POST /prenumerera', () => {
  it('answers every valid address with the same status and page, whatever the database holds', async () => {
    const addresses = [
      'ny@example.org',
      'aktiv@example.org',
      'vantar@example.org',
      'avslutad@example.org',
      'studsad@example.org',
      'klagat@example.org',
      'glomd@example.org',
      'blockerad@example.org',
    ];
    const answers = await Promise.all(
      addresses.map(async (email) => {
        const response = await subscribe({ email, name: 'Test Person' });
        return {
          status: response.status,
          body: await response.text(),
          cookie: response.headers.get('set-cookie'),
        };
      }),
    );
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]!.status).toBe(200);
    expect(answers[0]!.body).toContain('Kolla din e-post');
  });

  it('stores a new address as pending and leaves existing ones as they were until they confirm', async () => {
    const before = subscriberRow(server, 'aktiv@example.org')!;
    await subscribe({ email: 'Aktiv@Example.org', name: 'Någon Annan' });
    expect(subscriberRow(server, 'aktiv@example.org')).toEqual(before);
    expect(subscriberRow(server, 'avslutad@example.org')!.status).toBe('unsubscribed');
    await subscribe({ email: 'helt.ny@example.org', name: 'Helt Ny' });
    expect(subscriberRow(server, 'helt.ny@example.org')).toMatchObject({
      status: 'pending',
      name: 'Helt Ny',
      consent_at: null,
    });
  });

  it('sends no email to addresses that bounced, complained or were blocked by the operator', async () => {
    await outboxMails(server);
    const before = snapshot(server);
    const mailsBefore = (await outboxMails(server)).length;
    for (const email of ['studsad@example.org', 'klagat@example.org', 'blockerad@example.org']) {
      expect((await subscribe({ email })).status).toBe(200);
    }
    expect((await outboxMails(server)).length).toBe(mailsBefore);
    expect(snapshot(server)).toBe(before);
  });

  it('does send a confirmation to someone who unsubscribed or was forgotten: they may come back', async () => {
    await subscribeAndGetLink(server, 'glomd@example.org');
    await subscribeAndGetLink(server, 'avslutad@example.org');
  });

  it('answers a filled-in honeypot like any request, but stores and sends nothing', async () => {
    const before = snapshot(server);
    const mails = (await outboxMails(server)).length;
    const response = await subscribe({ email: 'bot@example.org', website: 'https://spam.example' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Kolla din e-post');
    expect(snapshot(server)).toBe(before);
    expect((await outboxMails(server)).length).toBe(mails);
  });

  it('shows the form again with an error tied to the field for a malformed address', async () => {
    const before = snapshot(server);
    const response = await subscribe({ email: 'inte en adress', name: 'Anna', lists: 'tillganglighet' });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('Skriv en giltig e-postadress');
    expect(page).toMatch(
      /<input id="epost"[^>]*value="inte en adress"[^>]*aria-invalid="true" aria-describedby="epost-fel"/,
    );
    expect(page).toMatch(/id="lista-tillganglighet" name="lists" value="tillganglighet" checked/);
    expect(snapshot(server)).toBe(before);
  });

  it('sends at most 3 confirmation emails a day to one address, however often the form is sent', async () => {
    const before = (await outboxMails(server)).length;
    for (let i = 0; i < 5; i++) expect((await subscribe({ email: 'bombad@example.org' })).status).toBe(200);
    expect((await outboxMails(server)).length - before).toBe(3);
  });

  it('accepts the archive form: several lists, multipart bodies, a name with control characters', async () => {
    const body = new FormData();
    body.append('email', 'flera@example.org');
    body.append('name', 'Eva\u0000 Ek\n');
    body.append('lists', 'nyhetsbrev');
    body.append('lists', 'tillganglighet');
    body.append('website', '');
    const response = await fetch(`${server.endpoint}prenumerera`, { method: 'POST', body });
    expect(response.status).toBe(200);
    const link = (await outboxMails(server)).at(-1)!;
    expect(link.text).toContain('Nyhetsbrevet');
    expect(link.text).toContain('Nätverket för digital tillgänglighet');
    expect(subscriberRow(server, 'flera@example.org')!.name).toBe('Eva Ek');
  });

  it('serves the form at GET /prenumerera and at the endpoint itself', async () => {
    for (const path of ['prenumerera', '', '../prenumerera']) {
      const response = await fetch(new URL(path, server.endpoint));
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain('<form class="subscribe-form" action="prenumerera" method="post">');
      expect(page).toContain('name="website"');
      // Only public lists are offered; the default one is ticked.
      expect(page).toMatch(/value="nyhetsbrev" checked/);
      expect(page).not.toContain('value="arkiv"');
    }
  });
});

describe('the time a subscribe takes', () => {
  it('writes the page before the confirmation email is queued or rendered', async () => {
    const events: string[] = [];
    server.httpServer.on('request', (_request, response: ServerResponse) =>
      response.once('finish', () => events.push('page written')),
    );
    const real = server.deps.mailer;
    server.deps.mailer = {
      ...real,
      enqueue(key, build) {
        events.push('email queued');
        real.enqueue(key, async () => {
          events.push('email rendered');
          return build();
        });
      },
    };
    try {
      expect((await subscribe({ email: 'tidtagen@example.org' })).status).toBe(200);
      await vi.waitFor(() => expect(events).toContain('email rendered'));
      await real.idle();
      expect(events).toEqual(['page written', 'email queued', 'email rendered']);
    } finally {
      server.deps.mailer = real;
    }
  });

  it('commits a write for every valid address, so a stopped one costs the same disk sync as a new one', async () => {
    const observer = new Database(server.deps.store.path);
    try {
      const version = () => observer.pragma('data_version', { simple: true }) as number;
      for (const email of ['studsad@example.org', 'blockerad@example.org', 'bombad@example.org']) {
        const before = version();
        expect((await subscribe({ email })).status).toBe(200);
        expect(version()).not.toBe(before);
      }
    } finally {
      observer.close();
    }
  });
});

describe('the per-client rate limit on subscribing', () => {
  it('answers 429 with a Swedish page once a client exceeds the limit, and changes nothing', async () => {
    const limited = await startTestServer({ rateLimit: { limit: 3, windowMs: 60_000 } });
    try {
      const post = (email: string, headers: Record<string, string> = {}) =>
        postForm(`${limited.endpoint}prenumerera`, { email }, headers);
      for (let i = 0; i < 3; i++) expect((await post(`person${i}@example.org`)).status).toBe(200);
      const before = snapshot(limited);
      const refused = await post('person9@example.org');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await refused.text()).toContain('För många försök');
      // Claiming another address in X-Forwarded-For does not help without --trust-proxy.
      expect((await post('person9@example.org', { 'X-Forwarded-For': '203.0.113.7' })).status).toBe(429);
      expect(snapshot(limited)).toBe(before);
      // Other routes are not limited: a confirmation or unsubscribe always gets through.
      expect((await fetch(`${limited.endpoint}prenumerera`)).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  it('counts clients by the address the proxy appended when --trust-proxy is on', async () => {
    const limited = await startTestServer({ rateLimit: { limit: 1, windowMs: 60_000 }, trustProxy: true });
    try {
      const post = (forwarded: string) =>
        postForm(
          `${limited.endpoint}prenumerera`,
          { email: 'x@example.org' },
          { 'X-Forwarded-For': forwarded },
        );
      expect((await post('198.51.100.1')).status).toBe(200);
      expect((await post('198.51.100.1')).status).toBe(429);
      // The client may prepend anything; the proxy's own entry is the last one.
      expect((await post('10.0.0.1, 198.51.100.1')).status).toBe(429);
      expect((await post('198.51.100.2')).status).toBe(200);
      // IPv6 clients are counted per /64.
      expect((await post('2001:db8:1:2::5')).status).toBe(200);
      expect((await post('2001:db8:1:2:ffff::9')).status).toBe(429);
    } finally {
      await limited.stop();
    }
  });
});
