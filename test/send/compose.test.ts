import { describe, expect, it } from 'vitest';
import {
  composeEmail,
  encodePhrase,
  listIdOf,
  matchesPayloadSha256,
  payloadSha256,
  senderDomain,
  type ComposeContext,
} from '../../src/send/compose.ts';
import { encodeBatch } from '../../src/send/transports/resend.ts';
import type { OutgoingEmail } from '../../src/send/types.ts';
import { verifyUnsubscribeToken } from '../../src/tokens.ts';
import { testConfig } from '../support/spine.ts';
import { SECRET } from './helpers.ts';

const context = (overrides: Partial<ComposeContext> = {}): ComposeContext => ({
  config: testConfig('endpoint: https://natverket.example.org/prenumeration/'),
  issueId: '2026-11',
  campaignRef: 'c7-0a1b2c3d',
  email: {
    subject: 'Ett år av samarbete',
    html: '<a href="NYHETSBREV_UNSUBSCRIBE_URL">Avregistrera</a>',
    text: 'Avregistrera: NYHETSBREV_UNSUBSCRIBE_URL',
  },
  secret: SECRET,
  tokenKey: keyOf,
  ...overrides,
});

/** A stand-in for `Store.tokenKey`: a fixed key per subscriber id. */
function keyOf(id: number): string {
  return id.toString(16).padStart(32, 'a');
}

const row = { position: 42, subscriberId: 17, email: 'anna.lindqvist@example.org' };

describe('composeEmail', () => {
  it('personalises the unsubscribe link with a signed token for the subscriber, in HTML and text', () => {
    const email = composeEmail(context(), row);
    const url = /<(https:[^>]+)>/.exec(email.headers['List-Unsubscribe']!)![1]!;
    expect(url).toMatch(/^https:\/\/natverket\.example\.org\/prenumeration\/avregistrera\?t=/);
    expect(verifyUnsubscribeToken(SECRET, new URL(url).searchParams.get('t')!)).toEqual({
      subscriberId: 17,
      tokenKey: keyOf(17),
    });
    expect(email.text).toBe(`Avregistrera: ${url}`);
    expect(email.html).toBe(`<a href="${url}">Avregistrera</a>`);
    expect(email.html + email.text).not.toContain('NYHETSBREV_UNSUBSCRIBE_URL');
  });

  it('gives a recipient forgotten since their row was read a link that names no one', () => {
    const email = composeEmail(context({ tokenKey: () => undefined }), row);
    const url = /<(https:[^>]+)>/.exec(email.headers['List-Unsubscribe']!)![1]!;
    expect(verifyUnsubscribeToken(SECRET, new URL(url).searchParams.get('t')!)).toBeUndefined();
  });

  it('carries both one-click headers, List-Id, tags and a Message-ID of the campaign', () => {
    const email = composeEmail(context(), row);
    expect(email.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(email.headers['List-Id']).toBe(
      '=?UTF-8?Q?Nyhetsbrev_fr=C3=A5n_Myndighetsn=C3=A4tverket?= <nyhetsbrev.natverket.example.org>',
    );
    expect(email.tags).toEqual([
      { name: 'issue', value: '2026-11' },
      { name: 'campaign', value: 'c7-0a1b2c3d' },
    ]);
    expect(email.messageId).toMatch(/^<c7-0a1b2c3d\.[0-9a-f]{32}@natverket\.example\.org>$/);
    expect(email.to).toBe('anna.lindqvist@example.org');
    expect(email.subject).toBe('Ett år av samarbete');
  });

  it('gives the same bytes for the same row and issue, and different links per recipient', () => {
    const a = [
      composeEmail(context(), row),
      composeEmail(context(), { ...row, position: 43, subscriberId: 18 }),
    ];
    const b = [
      composeEmail(context(), row),
      composeEmail(context(), { ...row, position: 43, subscriberId: 18 }),
    ];
    expect(payloadSha256(a)).toBe(payloadSha256(b));
    expect(a[0]!.headers['List-Unsubscribe']).not.toBe(a[1]!.headers['List-Unsubscribe']);
    const changed = [composeEmail(context({ email: { ...context().email, subject: 'Rättat' } }), row)];
    expect(payloadSha256(changed)).not.toBe(payloadSha256(a.slice(0, 1)));
  });
});

describe('Message-ID', () => {
  const idAt = (position: number, overrides: Partial<ComposeContext> = {}) =>
    composeEmail(context(overrides), { ...row, position }).messageId!;

  it("does not reveal the recipient's position: the ids of neighbours in the list look unrelated", () => {
    const ids = [41, 42, 43, 1042].map((position) => idAt(position));
    expect(new Set(ids).size).toBe(4);
    const digits = ids.map((id) => /^<c7-0a1b2c3d\.([0-9a-f]{32})@/.exec(id)![1]!);
    // An HMAC, not a counter: adjacent positions differ in about half of their 128 bits.
    const differing = (a: string, b: string) =>
      [...Buffer.from(a, 'hex')].reduce((n, byte, i) => n + bitCount(byte ^ Buffer.from(b, 'hex')[i]!), 0);
    expect(differing(digits[0]!, digits[1]!)).toBeGreaterThan(32);
    expect(differing(digits[1]!, digits[2]!)).toBeGreaterThan(32);
  });

  it('is the same for the same delivery in every run, and unguessable without the send secret', () => {
    expect(idAt(42)).toBe(idAt(42));
    expect(idAt(42)).toBe(
      composeEmail(context(), { ...row, subscriberId: 99, email: 'x@example.org' }).messageId,
    );
    expect(idAt(42, { secret: `${SECRET}x` })).not.toBe(idAt(42));
    expect(idAt(42, { campaignRef: 'c8-0a1b2c3d' })).not.toBe(idAt(42).replace('c7-', 'c8-'));
  });
});

function bitCount(byte: number): number {
  let n = 0;
  for (let b = byte; b > 0; b >>= 1) n += b & 1;
  return n;
}

describe('a batch made of shared parts', () => {
  // Everything JSON must escape, around and between tokens, in both parts.
  const tricky = {
    subject: 'Ett "år" – 🎉',
    html: '<p title="a\\b">Rad\nett\u2028 🎉</p><a href="NYHETSBREV_UNSUBSCRIBE_URL">x</a>NYHETSBREV_UNSUBSCRIBE_URL</html>',
    text: 'Tab\there "citat" NYHETSBREV_UNSUBSCRIBE_URL\n',
  };
  const sdkShape = (email: OutgoingEmail) => ({
    from: email.from,
    headers: Object.fromEntries(Object.entries(email.headers).sort(([a], [b]) => (a < b ? -1 : 1))),
    html: email.html,
    reply_to: email.replyTo,
    subject: email.subject,
    tags: email.tags,
    text: email.text,
    to: email.to,
  });

  it("encodes to exactly the JSON the SDK would send, with each recipient's own link", () => {
    const base = testConfig('endpoint: https://natverket.example.org/prenumeration/');
    const ctx = context({
      email: tricky,
      config: { ...base, sender: { from: 'Kansliet <k@example.org>', replyTo: 'svar@example.org' } },
    });
    const batch = [composeEmail(ctx, row), composeEmail(ctx, { ...row, position: 43, subscriberId: 18 })];
    expect(batch[0]!.html).not.toBe(batch[1]!.html);
    expect(batch[0]!.html).not.toContain('NYHETSBREV_UNSUBSCRIBE_URL');
    const body = encodeBatch(batch).toString('utf8');
    expect(body).toBe(JSON.stringify(batch.map(sdkShape)));
    // The same emails as plain strings (spreading reads the getters): the same bytes.
    const plain = batch.map(
      (email) =>
        Object.fromEntries(Object.entries(email).filter(([key]) => key !== 'personal')) as OutgoingEmail,
    );
    expect(plain[0]!.personal).toBeUndefined();
    expect(encodeBatch(plain).toString('utf8')).toBe(body);
  });

  it("hashes a chunk by the content and each recipient's values: a changed body changes it", () => {
    const a = [composeEmail(context(), row)];
    const sameSubject = { ...context().email, html: `${context().email.html}<p>Rättelse</p>` };
    const b = [composeEmail(context({ email: sameSubject }), row)];
    expect(payloadSha256(a)).not.toBe(payloadSha256(b));
    expect(payloadSha256(a)).toBe(
      payloadSha256([composeEmail(context({ email: { ...context().email } }), row)]),
    );
  });
});

describe('chunks started by an earlier release', () => {
  it('no longer match once links carry the token key (schema 4): recovery reports them uncertain rather than send other bytes under their key', () => {
    const rows = [row, { position: 43, subscriberId: 18, email: 'erik@example.org' }];
    const emails = rows.map((r) => composeEmail(context(), r));
    // What payloadSha256 of release e95d609 gave for these two emails, whose links named the id alone.
    const earlier = '1a2bf32ab02bdb9e85dbaa1bfd2e9341564847836814b8feca0224e6465dfd90';
    expect(matchesPayloadSha256(emails, earlier)).toBe(false);
    expect(matchesPayloadSha256(emails, payloadSha256(emails))).toBe(true);
  });
});

describe('List-Id and sender domain', () => {
  it('derives the list id from the base URL: path segments last first, then the host', () => {
    expect(listIdOf({ listId: undefined, baseUrl: 'https://natverket.example.org/nyhetsbrev/' })).toBe(
      'nyhetsbrev.natverket.example.org',
    );
    expect(listIdOf({ listId: undefined, baseUrl: 'https://example.org/' })).toBe('example.org');
    expect(listIdOf({ listId: 'brev.example.org', baseUrl: 'https://example.org/x/' })).toBe(
      'brev.example.org',
    );
  });

  it('encodes a non-ASCII list name as encoded-words of at most 75 characters, leaving ASCII names alone', () => {
    expect(encodePhrase('Nyhetsbrev')).toBe('Nyhetsbrev');
    expect(encodePhrase('Brev, nr 2')).toBe('"Brev, nr 2"');
    const long = encodePhrase('Nyhetsbrev från Myndighetsnätverket för digital förvaltning i Sverige');
    expect(long.split(' ').every((word) => word.length <= 75 && /^=\?UTF-8\?Q\?[^ ?]+\?=$/.test(word))).toBe(
      true,
    );
  });

  it('takes the Message-ID domain from the sender address', () => {
    expect(senderDomain('Nätverket <nyhetsbrev@Natverket.Example.org>')).toBe('natverket.example.org');
    expect(senderDomain('kansliet@example.org')).toBe('example.org');
  });
});
