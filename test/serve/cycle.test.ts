import { describe, expect, it } from 'vitest';
import { createOutboxTransport } from '../../src/send/transports/index.ts';
import { personalise, unsubscribeUrl } from '../../src/render/personalise.ts';
import { buildFixture, testConfig } from '../support/spine.ts';
import { simpleParser } from 'mailparser';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  membershipsOf,
  outboxMails,
  postForm,
  serverForFile,
  subscribeAndGetLink,
  subscriberRow,
  type TestServer,
  unsubscribeTokenOf,
} from './helpers.ts';

let server: TestServer;
serverForFile((started) => (server = started));

/** Sends one issue to the subscriber the way the sender does: personalised, with RFC 8058 headers. */
async function receiveIssue(email: string, subscriberId: number) {
  const config = { ...testConfig(), endpoint: server.endpoint };
  const built = await buildFixture('footnotes', '2024-02', config);
  const url = unsubscribeUrl(config, unsubscribeTokenOf(server, subscriberId));
  const personal = personalise(built.email, { unsubscribeUrl: url });
  const dir = join(server.dir, 'sent');
  const transport = createOutboxTransport({ dir });
  const outcome = await transport.sendChunk(
    [
      {
        to: email,
        from: config.sender.from,
        subject: built.email.subject,
        html: personal.html,
        text: personal.text,
        headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        tags: [],
      },
    ],
    { idempotencyKey: 'nyhetsbrev/test/0' },
  );
  expect(outcome.results[0]?.status).toBe('sent');
  const [file] = readdirSync(dir);
  return simpleParser(readFileSync(join(dir, file!)));
}

describe('the subscribe → confirm → receive → unsubscribe cycle over HTTP', () => {
  it('takes an address from pending to active to unsubscribed, recording consent and lists', async () => {
    const email = 'Anna.Svensson@example.org';
    const link = await subscribeAndGetLink(server, email, {
      name: 'Anna Svensson',
      lists: ['tillganglighet', 'arkiv'],
    });
    expect(link.startsWith(`${server.endpoint}bekrafta?t=`)).toBe(true);
    const pending = subscriberRow(server, email)!;
    expect(pending.status).toBe('pending');
    expect(pending.consent_at).toBeNull();

    // Opening the link shows a button and changes nothing.
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Bekräfta prenumerationen');
    expect(subscriberRow(server, email)!.status).toBe('pending');

    const confirmed = await fetch(link, { method: 'POST', redirect: 'manual' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Tack, din prenumeration är bekräftad');
    const active = subscriberRow(server, email)!;
    expect(active.status).toBe('active');
    expect(active.consent_source).toBe('web');
    expect(active.consent_text_version).toMatch(/^privacyNote\/sv\/[0-9a-f]{12}$/);
    expect(Date.parse(active.consent_at!)).toBeGreaterThan(Date.now() - 60_000);
    // The forum `arkiv` is not public: it cannot be joined from the web.
    expect(membershipsOf(server, active.id)).toEqual(['tillganglighet']);

    // The issue arrives with an RFC 8058 List-Unsubscribe URL at this server.
    const mail = await receiveIssue(email, active.id);
    const header = (key: string) =>
      mail.headerLines.find((line) => line.key === key)?.line.replace(/^[^:]+:\s*/, '');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const listUnsubscribe = header('list-unsubscribe')?.replace(/^<(.*)>$/, '$1');
    expect(listUnsubscribe).toBe(`${server.endpoint}avregistrera?t=${unsubscribeTokenOf(server, active.id)}`);
    expect(mail.html).toContain(listUnsubscribe!.replace(/&/g, '&amp;'));

    // A mail client's one-click POST: 200, no redirect, no cookie.
    const response = await postForm(listUnsubscribe!, { 'List-Unsubscribe': 'One-Click' });
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toContain('Du är avregistrerad');
    expect(subscriberRow(server, email)!.status).toBe('unsubscribed');
    expect(server.deps.store.suppression(email.toLowerCase())?.reason).toBe('unsubscribed');
  });

  it('lets a person who unsubscribed come back by confirming again, lifting the suppression', async () => {
    const email = 'bjorn@example.org';
    await fetch(await subscribeAndGetLink(server, email), { method: 'POST' });
    const id = subscriberRow(server, email)!.id;
    await postForm(`${server.endpoint}avregistrera?t=${unsubscribeTokenOf(server, id)}`, {
      'List-Unsubscribe': 'One-Click',
    });
    expect(server.deps.store.suppression(email)?.reason).toBe('unsubscribed');

    const link = await subscribeAndGetLink(server, email);
    // Until they confirm, nothing about them changes.
    expect(subscriberRow(server, email)!.status).toBe('unsubscribed');
    expect((await fetch(link, { method: 'POST' })).status).toBe(200);
    expect(subscriberRow(server, email)!.status).toBe('active');
    expect(server.deps.store.suppression(email)).toBeUndefined();
  });

  it('sends one confirmation email per request, in Swedish, from the newsletter sender', async () => {
    const before = (await outboxMails(server)).length;
    await postForm(`${server.endpoint}prenumerera`, { email: 'cecilia@example.org' });
    const mails = (await outboxMails(server)).slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Bekräfta din prenumeration på Nyhetsbrev från Myndighetsnätverket');
    expect(mails[0]!.from?.text).toContain('nyhetsbrev@natverket.example.org');
    expect(mails[0]!.headers.get('list-unsubscribe')).toBeUndefined();
  });
});
