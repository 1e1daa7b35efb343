import { describe, expect, it } from 'vitest';
import {
  composeEmail,
  encodePhrase,
  listIdOf,
  payloadSha256,
  senderDomain,
  type ComposeContext,
} from '../../src/send/compose.ts';
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
  ...overrides,
});

const row = { position: 42, subscriberId: 17, email: 'anna.lindqvist@example.org' };

describe('composeEmail', () => {
  it('personalises the unsubscribe link with a signed token for the subscriber, in HTML and text', () => {
    const email = composeEmail(context(), row);
    const url = /<(https:[^>]+)>/.exec(email.headers['List-Unsubscribe']!)![1]!;
    expect(url).toMatch(/^https:\/\/natverket\.example\.org\/prenumeration\/avregistrera\?t=/);
    expect(verifyUnsubscribeToken(SECRET, new URL(url).searchParams.get('t')!)).toBe(17);
    expect(email.text).toBe(`Avregistrera: ${url}`);
    expect(email.html).toBe(`<a href="${url}">Avregistrera</a>`);
    expect(email.html + email.text).not.toContain('NYHETSBREV_UNSUBSCRIBE_URL');
  });

  it('carries both one-click headers, List-Id, tags and a Message-ID of campaign and position', () => {
    const email = composeEmail(context(), row);
    expect(email.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(email.headers['List-Id']).toBe(
      '=?UTF-8?Q?Nyhetsbrev_fr=C3=A5n_Myndighetsn=C3=A4tverket?= <nyhetsbrev.natverket.example.org>',
    );
    expect(email.tags).toEqual([
      { name: 'issue', value: '2026-11' },
      { name: 'campaign', value: 'c7-0a1b2c3d' },
    ]);
    expect(email.messageId).toBe('<c7-0a1b2c3d.42@natverket.example.org>');
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
