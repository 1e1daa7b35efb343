import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpTransport } from '../../src/send/transports/smtp.ts';
import type { OutgoingEmail } from '../../src/send/types.ts';
import { createMailer } from '../../src/serve/mailer.ts';
import { renderWelcomeEmail } from '../../src/serve/welcome.ts';
import { verifyPreferencesToken, verifyUnsubscribeToken } from '../../src/tokens.ts';
import { testConfig } from '../support/spine.ts';
import { confirmLink, postForm, SECRET, startTestServer, type TestServer } from './helpers.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/**
 * A test server whose emails go over SMTP to an in-process server on loopback (the configured
 * transport's path), with welcome emails on or off.
 */
async function smtpServer(
  welcome: boolean,
): Promise<{ server: TestServer; mails: () => Promise<ParsedMail[]> }> {
  const raw: Buffer[] = [];
  const smtp = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData: (stream, _session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        raw.push(Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
  const server = await startTestServer();
  cleanup.push(() => server.stop());
  const transport = createSmtpTransport({
    host: '127.0.0.1',
    port: (smtp.server.address() as AddressInfo).port,
    secure: false,
    requireTLS: false,
    maxConnections: 1,
  });
  cleanup.push(() => transport.close());
  server.deps.mailer = createMailer(transport, (line) => server.logs.push(line));
  server.deps.config = { ...server.deps.config, welcome: { enabled: welcome } };
  const mails = async () => {
    await server.deps.mailer.idle();
    return Promise.all(raw.map((bytes) => simpleParser(bytes)));
  };
  return { server, mails };
}

async function subscribeAndConfirm(server: TestServer, mails: () => Promise<ParsedMail[]>, email: string) {
  await postForm(`${server.endpoint}prenumerera`, { email, lists: ['nyhetsbrev', 'tillganglighet'] });
  const confirmation = (await mails()).filter((m) => m.subject?.startsWith('Bekräfta')).at(-1)!;
  return postForm(confirmLink(confirmation), {});
}

const welcomes = (mails: ParsedMail[]) => mails.filter((m) => m.subject?.startsWith('Välkommen'));

describe('the welcome email', () => {
  it('goes out once over SMTP after a confirmation, with the lists and working links', async () => {
    const { server, mails } = await smtpServer(true);
    expect((await subscribeAndConfirm(server, mails, 'ny@example.org')).status).toBe(200);
    const [welcome, ...more] = welcomes(await mails());
    expect(more).toEqual([]);
    expect(welcome!.subject).toBe('Välkommen till Nyhetsbrev från Myndighetsnätverket');
    expect(welcome!.text).toContain('- Nyhetsbrevet\n- Nätverket för digital tillgänglighet');
    const id = server.deps.store.findSubscriber('ny@example.org')!.id;
    // Links point where the confirmation links pointed (here: this server, --local-links).
    const preferences = new RegExp(`${server.endpoint}installningar\\?t=(\\S+)`).exec(welcome!.text!)![1]!;
    expect(verifyPreferencesToken(SECRET, preferences)?.subscriberId).toBe(id);
    const header = (name: string) => welcome!.headerLines.find((h) => h.key === name)?.line;
    const unsubscribe = /<[^>]+\/avregistrera\?t=([^>]+)>/.exec(header('list-unsubscribe')!)![1]!;
    expect(verifyUnsubscribeToken(SECRET, decodeURIComponent(unsubscribe))?.subscriberId).toBe(id);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    // Subscribing and confirming again (say, to another list) sends no second welcome.
    await subscribeAndConfirm(server, mails, 'ny@example.org');
    expect(welcomes(await mails())).toHaveLength(1);
  });

  it('is not sent unless configured', async () => {
    const { server, mails } = await smtpServer(false);
    await subscribeAndConfirm(server, mails, 'tyst@example.org');
    expect(welcomes(await mails())).toEqual([]);
    expect(server.deps.store.findSubscriber('tyst@example.org')!.status).toBe('active');
  });

  it('is never sent to an address that bounced before confirming', async () => {
    const { server, mails } = await smtpServer(true);
    await postForm(`${server.endpoint}prenumerera`, { email: 'studs@example.org' });
    const link = confirmLink((await mails()).at(-1)!);
    server.deps.store.suppress('studs@example.org', 'bounced');
    expect((await postForm(link, {})).status).toBe(409);
    expect(welcomes(await mails())).toEqual([]);
  });

  it('is not sent when the address is stopped while the welcome waits in the queue', async () => {
    const { server, mails } = await smtpServer(true);
    await postForm(`${server.endpoint}prenumerera`, { email: 'sen@example.org' });
    const link = confirmLink((await mails()).at(-1)!);
    // Another email holds the queue, so the welcome waits behind it.
    let release!: (email: OutgoingEmail) => void;
    server.deps.mailer.enqueue('hold', () => new Promise((resolve) => (release = resolve)));
    expect((await postForm(link, {})).status).toBe(200);
    server.deps.store.updateSubscriber(server.deps.store.findSubscriber('sen@example.org')!.id, {
      status: 'unsubscribed',
    });
    release({
      to: 'kansliet@example.org',
      from: 'nyhetsbrev@example.org',
      subject: 'Annat',
      html: '',
      text: 'x',
      headers: {},
      tags: [],
    });
    expect(welcomes(await mails())).toEqual([]);
    expect(server.logs.some((line) => line.includes('WelcomeSkipped'))).toBe(true);
  });

  it('renders with 0 MJML errors', async () => {
    const rendered = await renderWelcomeEmail(testConfig(), ['Nyhetsbrevet']);
    expect(rendered.errors).toEqual([]);
    expect(rendered.html).toContain('href="NYHETSBREV_PREFERENCES_URL"');
  });
});
