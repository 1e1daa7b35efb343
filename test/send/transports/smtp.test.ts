import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { dkimVerify } from 'mailauth';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpTransport, type SmtpTransportOptions } from '../../../src/send/transports/index.ts';
import type { Transport } from '../../../src/send/types.ts';
import { email, emails } from './fixtures.ts';
import { selfSignedCert } from './self-signed-cert.ts';

interface Received {
  raw: Buffer;
  secure: boolean;
  user: string | undefined;
  to: string[];
}

const cert = selfSignedCert();
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/**
 * An in-process SMTP server on loopback with STARTTLS (a certificate made for this run) and
 * PLAIN/LOGIN auth for `kansliet` / `hemligt`. `reply` may refuse a recipient with a code.
 */
async function setup(
  options: Partial<SmtpTransportOptions> = {},
  server: Partial<SMTPServerOptions> & { reply?: (to: string) => number | undefined } = {},
): Promise<{ received: Received[]; transport: Transport }> {
  const received: Received[] = [];
  const { reply, ...serverOptions } = server;
  const smtp = new SMTPServer({
    key: cert.key,
    cert: cert.cert,
    logger: false,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth: (auth, _session, callback) =>
      auth.username === 'kansliet' && auth.password === 'hemligt'
        ? callback(null, { user: auth.username })
        : callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 })),
    onRcptTo: (address, _session, callback) => {
      const code = reply?.(address.address);
      if (code === undefined) return callback();
      callback(
        Object.assign(new Error(code >= 500 ? 'Mailbox unavailable' : 'Try again later'), {
          responseCode: code,
        }),
      );
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        received.push({
          raw: Buffer.concat(chunks),
          secure: session.secure,
          user: session.user as string | undefined,
          to,
        });
        callback();
      });
    },
    ...serverOptions,
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  const transport = createSmtpTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: true,
    maxConnections: 2,
    auth: { user: 'kansliet', pass: 'hemligt' },
    tls: { ca: cert.cert, servername: 'localhost' },
    ...options,
  });
  cleanup.push(
    () => new Promise<void>((resolve) => smtp.close(() => resolve())),
    () => transport.close(),
  );
  return { received, transport };
}

describe('smtp transport', () => {
  it('delivers multipart/alternative (text, then HTML, UTF-8) with both list headers over STARTTLS', async () => {
    const { received, transport } = await setup();
    const outcome = await transport.sendChunk(
      [email('anna@example.org', { messageId: '<c1.0@example.org>' })],
      { idempotencyKey: 'k' },
    );
    expect(outcome).toEqual({
      results: [{ index: 0, to: 'anna@example.org', status: 'sent', providerId: '<c1.0@example.org>' }],
    });
    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message).toMatchObject({ secure: true, user: 'kansliet', to: ['anna@example.org'] });
    const raw = message!.raw.toString('utf8');
    expect(raw).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(raw.indexOf('Content-Type: text/plain; charset=utf-8')).toBeLessThan(
      raw.indexOf('Content-Type: text/html; charset=utf-8'),
    );
    expect(raw.indexOf('Content-Type: text/plain; charset=utf-8')).toBeGreaterThan(0);
    const parsed = await simpleParser(message!.raw);
    expect(parsed.messageId).toBe('<c1.0@example.org>');
    expect(parsed.subject).toBe('Nyhetsbrev mars 2023: Den intensiva våren ger frukt');
    expect(parsed.text).toContain('Våren är här – läs om åäö.');
    expect(parsed.html).toContain('Våren är här – läs om åäö.');
    const header = (key: string) => parsed.headerLines.find((h) => h.key === key)?.line;
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-unsubscribe')).toMatch(
      /^List-Unsubscribe: <https:\/\/example\.org\/avregistrera\/[\w-]+>$/,
    );
  });

  it('signs with DKIM covering both List-Unsubscribe headers, and the signature verifies', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const dkim = {
      domainName: 'example.org',
      keySelector: 'nyhetsbrev',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    const { received, transport } = await setup({ dkim });
    await transport.sendChunk([email('anna@example.org', { messageId: '<c1.0@example.org>' })], {
      idempotencyKey: 'k',
    });
    const txt = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
    // mailauth asks DNS for the key; this resolver answers only our selector, so nothing leaves the machine.
    const resolver = (name: string, type: string) =>
      name === 'nyhetsbrev._domainkey.example.org' && type === 'TXT'
        ? Promise.resolve([[txt]])
        : Promise.reject(Object.assign(new Error(`no ${type} for ${name}`), { code: 'ENOTFOUND' }));
    const { results } = await dkimVerify(received[0]!.raw, { resolver });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      signingDomain: 'example.org',
      selector: 'nyhetsbrev',
      status: { result: 'pass' },
    });
    const signed = /\bh=([^;]+);/
      .exec(received[0]!.raw.toString('utf8').replace(/\r\n[ \t]+/g, ' '))![1]!
      .split(':')
      .map((h) => h.trim());
    expect(signed).toEqual(
      expect.arrayContaining([
        'list-unsubscribe',
        'list-unsubscribe-post',
        'list-id',
        'from',
        'subject',
        'message-id',
      ]),
    );
  });

  it('sends a chunk over the pool and returns one result per recipient in order', async () => {
    const { received, transport } = await setup();
    const outcome = await transport.sendChunk(emails(12), { idempotencyKey: 'k' });
    expect(outcome.stop).toBeUndefined();
    expect(outcome.results.map((r) => [r.index, r.to, r.status])).toEqual(
      emails(12).map((e, i) => [i, e.to, 'sent']),
    );
    expect(received.map((m) => m.to[0]).sort()).toEqual(
      emails(12)
        .map((e) => e.to)
        .sort(),
    );
  });

  it('fails a recipient refused with 5xx permanently and stops retryably for 4xx, sending the rest', async () => {
    const reply = (to: string) =>
      to === 'person-1@example.org' ? 550 : to === 'person-3@example.org' ? 451 : undefined;
    const { received, transport } = await setup({}, { reply });
    const outcome = await transport.sendChunk(emails(5), { idempotencyKey: 'k' });
    expect(outcome.results.map((r) => [r.index, r.status])).toEqual([
      [0, 'sent'],
      [1, 'failed'],
      [2, 'sent'],
      [4, 'sent'],
    ]);
    expect(outcome.results[1]?.status === 'failed' && outcome.results[1].reason).toContain('550');
    expect(outcome.stop).toMatchObject({ kind: 'retryable', code: '451', maybeProcessed: false });
    expect(received).toHaveLength(3);
  });

  it('stops with auth when the relay refuses the credentials', async () => {
    const { received, transport } = await setup({ auth: { user: 'kansliet', pass: 'fel' } });
    const outcome = await transport.sendChunk(emails(2), { idempotencyKey: 'k' });
    expect(outcome.results).toEqual([]);
    expect(outcome.stop?.kind).toBe('auth');
    expect(received).toHaveLength(0);
  });

  it('refuses to send in plain text when STARTTLS is required but not offered', async () => {
    const { received, transport } = await setup(
      {},
      { disabledCommands: ['STARTTLS'], authOptional: true, allowInsecureAuth: true },
    );
    const outcome = await transport.sendChunk(emails(1), { idempotencyKey: 'k' });
    expect(outcome.results).toEqual([]);
    expect(outcome.stop?.kind).toBe('rejected');
    expect(received).toHaveLength(0);
  });

  it('stops retryably when the relay cannot be reached', async () => {
    const transport = createSmtpTransport({
      host: '127.0.0.1',
      port: 1,
      secure: false,
      requireTLS: true,
      maxConnections: 1,
    });
    cleanup.push(() => transport.close());
    const outcome = await transport.sendChunk(emails(1), { idempotencyKey: 'k' });
    expect(outcome.stop).toMatchObject({ kind: 'retryable' });
  });
});
