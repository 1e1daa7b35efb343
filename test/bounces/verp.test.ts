import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { findVerpDeliveries, verpAddress } from '../../src/bounces/verp.ts';
import { composeEmail, type ComposeContext } from '../../src/send/compose.ts';
import { createSmtpTransport } from '../../src/send/transports/smtp.ts';
import { testConfig } from '../support/spine.ts';
import { DOMAIN, SECRET } from './helpers.ts';

const campaign = { id: 7, ref: 'c7-0a1b2c3d' };
const refOf = (id: number) => (id === 7 ? campaign.ref : undefined);

const context = (extra = ''): ComposeContext => ({
  config: testConfig(`endpoint: https://natverket.example.org/prenumeration/\n${extra}`),
  issueId: '2026-11',
  campaignRef: campaign.ref,
  email: {
    subject: 'Ämne',
    html: '<a href="NYHETSBREV_UNSUBSCRIBE_URL">x</a>',
    text: 'NYHETSBREV_UNSUBSCRIBE_URL',
  },
  secret: SECRET,
  tokenKey: () => 'a'.repeat(32),
});
const row = { position: 42, subscriberId: 17, email: 'anna.lindqvist@example.org' };

const servers: SMTPServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('VERP envelope sender', () => {
  it('gives each delivery its own opaque bounce address that decodes back to it', () => {
    const address = verpAddress(SECRET, DOMAIN, campaign, 42);
    expect(address).toMatch(/^bounce\+[0-9a-f]{32}@bounces\.natverket\.example\.org$/);
    expect(verpAddress(SECRET, DOMAIN, campaign, 43)).not.toBe(address);
    expect(findVerpDeliveries(SECRET, DOMAIN, `To: <${address.toUpperCase()}>`, refOf)).toEqual([
      { campaignId: 7, position: 42 },
    ]);
  });

  it('refuses a token changed by one digit, made with another secret, or of another campaign ref', () => {
    const address = verpAddress(SECRET, DOMAIN, campaign, 42);
    const flipped = address.replace(/\+(.)/, (_, c: string) => `+${c === '0' ? '1' : '0'}`);
    expect(findVerpDeliveries(SECRET, DOMAIN, flipped, refOf)).toEqual([]);
    expect(findVerpDeliveries(`${SECRET}x`, DOMAIN, address, refOf)).toEqual([]);
    expect(findVerpDeliveries(SECRET, DOMAIN, address, () => 'c7-ffffffff')).toEqual([]);
  });

  it('is set on campaign emails only when bounces.domain is configured, and never holds the address', () => {
    expect(composeEmail(context(), row).envelopeFrom).toBeUndefined();
    const email = composeEmail(context(`bounces:\n  domain: ${DOMAIN}\n`), row);
    expect(email.envelopeFrom).toBe(verpAddress(SECRET, DOMAIN, campaign, 42));
    expect(email.envelopeFrom).not.toMatch(/anna|lindqvist/i);
    expect(email.from).toBe('Nätverket <nyhetsbrev@natverket.example.org>');
  });

  it('goes out as MAIL FROM over SMTP while the From header stays the sender', async () => {
    const received: { mailFrom: string; raw: string }[] = [];
    const server = new SMTPServer({
      logger: false,
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const from = session.envelope.mailFrom;
          received.push({ mailFrom: from ? from.address : '', raw: Buffer.concat(chunks).toString() });
          callback();
        });
      },
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const transport = createSmtpTransport({
      host: '127.0.0.1',
      port: (server.server.address() as AddressInfo).port,
      secure: false,
      requireTLS: false,
      maxConnections: 1,
    });
    try {
      const email = composeEmail(context(`bounces:\n  domain: ${DOMAIN}\n`), row);
      const outcome = await transport.sendChunk([email], { idempotencyKey: 'k' });
      expect(outcome.results[0]).toMatchObject({ status: 'sent' });
    } finally {
      await transport.close();
    }
    expect(received[0]!.mailFrom).toBe(verpAddress(SECRET, DOMAIN, campaign, 42));
    expect(received[0]!.raw).toMatch(
      /^From: =\?UTF-8\?Q\?N=C3=A4tverket\?= <nyhetsbrev@natverket\.example\.org>/m,
    );
  });
});
