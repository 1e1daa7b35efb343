import { describe, expect, it } from 'vitest';
import { forgetPerson } from '../../src/audience/index.ts';
import { purgeExpired } from '../../src/serve/confirmations.ts';
import { signedToken } from '../../src/tokens.ts';
import {
  membershipsOf,
  postForm,
  snapshot,
  serverForFile,
  subscriberRow,
  subscribeAndGetLink,
  type TestServer,
  unsubscribeTokenOf,
} from './helpers.ts';

const DAY = 24 * 60 * 60 * 1000;
let server: TestServer;
serverForFile((started) => (server = started));

const confirm = (link: string) => fetch(link, { method: 'POST', redirect: 'manual' });
const tokenOf = (link: string) => new URL(link).searchParams.get('t')!;
const withToken = (token: string) => `${server.endpoint}bekrafta?t=${encodeURIComponent(token)}`;

describe('confirmation links', () => {
  it('work once: a second use is refused and changes nothing', async () => {
    const link = await subscribeAndGetLink(server, 'en.gang@example.org');
    expect((await confirm(link)).status).toBe(200);
    const after = snapshot(server);
    const again = await confirm(link);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Länken är redan använd');
    expect((await fetch(link)).status).toBe(409);
    expect(snapshot(server)).toBe(after);
  });

  it('of a forgotten person do nothing to anyone, also to whoever subscribes next', async () => {
    const link = await subscribeAndGetLink(server, 'glomd.forst@example.org');
    forgetPerson(server.deps.store, 'glomd.forst@example.org');
    await subscribeAndGetLink(server, 'nasta.person@example.org');
    const before = snapshot(server);
    expect((await confirm(link)).status).toBe(400);
    expect(snapshot(server)).toBe(before);
    expect(subscriberRow(server, 'nasta.person@example.org')!.status).toBe('pending');
  });

  it('expire after 7 days: the subscriber stays pending', async () => {
    const link = await subscribeAndGetLink(server, 'sen@example.org');
    server.advance(7 * DAY + 1000);
    try {
      const before = snapshot(server);
      const page = await fetch(link);
      expect(page.status).toBe(410);
      expect(await page.text()).toContain('Länken har gått ut');
      expect((await confirm(link)).status).toBe(410);
      expect(snapshot(server)).toBe(before);
      expect(subscriberRow(server, 'sen@example.org')!.status).toBe('pending');
    } finally {
      server.advance(-(7 * DAY + 1000));
    }
  });

  it('still work a moment before the 7 days are up', async () => {
    const link = await subscribeAndGetLink(server, 'i.tid@example.org');
    server.advance(7 * DAY - 60_000);
    try {
      expect((await confirm(link)).status).toBe(200);
      expect(subscriberRow(server, 'i.tid@example.org')!.status).toBe('active');
    } finally {
      server.advance(-(7 * DAY - 60_000));
    }
  });

  it('refuse tampered, foreign and wrong-purpose tokens with an error page and change nothing', async () => {
    const link = await subscribeAndGetLink(server, 'manipulerad@example.org');
    const token = tokenOf(link);
    const [payload, signature] = token.split('.') as [string, string];
    const otherId = Buffer.from(Buffer.from(payload, 'base64url').toString().replace(/^\d+/, '1')).toString(
      'base64url',
    );
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'AB' : 'AA'}`;
    const bad = [
      `${otherId}.${signature}`, // another subscriber's id under this signature
      `${payload}.${flipped}`, // a changed signature
      `${payload}.${signature}.x`, // an extra part
      signedToken(
        'another-secret-of-another-deployment-000',
        'confirm',
        Buffer.from(payload, 'base64url').toString(),
      ),
      unsubscribeTokenOf(server, subscriberRow(server, 'manipulerad@example.org')!.id), // an unsubscribe token
      '',
    ];
    const before = snapshot(server);
    for (const token of bad) {
      for (const response of [await fetch(withToken(token)), await confirm(withToken(token))]) {
        expect(response.status).toBe(400);
        expect(await response.text()).toContain('Länken fungerar inte');
      }
    }
    expect(snapshot(server)).toBe(before);
    expect(subscriberRow(server, 'manipulerad@example.org')!.status).toBe('pending');
    // The real token still works afterwards.
    expect((await confirm(link)).status).toBe(200);
  });

  it('are confirmed by a POST only: opening the link (as a mail scanner does) changes nothing', async () => {
    const link = await subscribeAndGetLink(server, 'skannad@example.org', { lists: 'tillganglighet' });
    const before = snapshot(server);
    for (let i = 0; i < 3; i++) {
      const page = await fetch(link);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Nätverket för digital tillgänglighet');
      expect(html).toMatch(/<form class="action-form" action="bekrafta\?t(=|&#x3D;)[^"]+" method="post">/);
    }
    expect(snapshot(server)).toBe(before);
  });

  it('give an active subscriber the lists they chose, keeping the ones they had', async () => {
    const first = await subscribeAndGetLink(server, 'tva.listor@example.org');
    await confirm(first);
    const id = subscriberRow(server, 'tva.listor@example.org')!.id;
    expect(membershipsOf(server, id)).toEqual(['nyhetsbrev']);
    await confirm(
      await subscribeAndGetLink(server, 'tva.listor@example.org', {
        lists: 'tillganglighet',
        name: 'Ny Namn',
      }),
    );
    expect(membershipsOf(server, id)).toEqual(['nyhetsbrev', 'tillganglighet']);
    expect(subscriberRow(server, 'tva.listor@example.org')!.name).toBe('Ny Namn');
  });
});

describe('confirming an address that was stopped after the email went out', () => {
  it('does not say the subscription is confirmed when the address bounced, and keeps it stopped', async () => {
    const link = await subscribeAndGetLink(server, 'studsade.sen@example.org');
    const { store } = server.deps;
    const id = subscriberRow(server, 'studsade.sen@example.org')!.id;
    store.updateSubscriber(id, { status: 'bounced' });
    store.suppress('studsade.sen@example.org', 'bounced');
    const page = await fetch(link);
    expect(page.status).toBe(409);
    expect(await page.text()).not.toContain('Bekräfta prenumerationen');
    const response = await confirm(link);
    const html = await response.text();
    expect(response.status).toBe(409);
    expect(html).not.toMatch(/bekräftad/i);
    expect(html).toContain('Prenumerationen kan inte aktiveras');
    expect(subscriberRow(server, 'studsade.sen@example.org')!.status).toBe('bounced');
    expect(membershipsOf(server, id)).toEqual([]);
  });

  it('does not confirm an address the operator blocked since', async () => {
    const link = await subscribeAndGetLink(server, 'blockerad.sen@example.org');
    server.deps.store.suppress('blockerad.sen@example.org', 'manual');
    const response = await confirm(link);
    expect(response.status).toBe(409);
    expect(await response.text()).not.toMatch(/bekräftad/i);
    expect(subscriberRow(server, 'blockerad.sen@example.org')!.status).toBe('pending');
  });
});

describe('purging what double opt-in no longer needs', () => {
  it('deletes expired confirmations and web subscribers who never confirmed, nothing else', async () => {
    await subscribeAndGetLink(server, 'aldrig@example.org');
    const confirmed = await subscribeAndGetLink(server, 'bekraftad@example.org');
    await confirm(confirmed);
    server.advance(8 * DAY);
    try {
      const purged = purgeExpired(server.deps);
      expect(purged.subscribers).toBeGreaterThanOrEqual(1);
      expect(subscriberRow(server, 'aldrig@example.org')).toBeUndefined();
      expect(subscriberRow(server, 'bekraftad@example.org')!.status).toBe('active');
      const left = server.deps.store.db.prepare('SELECT count(*) AS n FROM confirmations').get() as {
        n: number;
      };
      expect(left.n).toBe(0);
      // An expired link of a purged subscriber still gets the "expired" page, not an error.
      expect((await fetch(confirmed)).status).toBe(410);
    } finally {
      server.advance(-8 * DAY);
    }
  });

  it('keeps an unconfirmed subscriber whose link is still valid', async () => {
    await postForm(`${server.endpoint}prenumerera`, { email: 'fortfarande@example.org' });
    await server.deps.mailer.idle();
    purgeExpired(server.deps);
    expect(subscriberRow(server, 'fortfarande@example.org')!.status).toBe('pending');
  });
});
