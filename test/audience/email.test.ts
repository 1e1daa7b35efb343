import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../src/audience/index.ts';

describe('parseEmail', () => {
  it('lowercases the domain, keeps the local part as written and keys on the lowercase address', () => {
    expect(parseEmail('  Anna.Lindqvist@Example.ORG ')).toEqual({
      ok: true,
      email: 'Anna.Lindqvist@example.org',
      key: 'anna.lindqvist@example.org',
    });
  });

  it('accepts plus addressing, hyphenated and multi-label domains', () => {
    expect(parseEmail('anna+nyhetsbrev@arkiv.kommun-x.example.se').ok).toBe(true);
  });

  it('converts a Swedish Unicode domain to its xn-- form', () => {
    expect(parseEmail('info@åre.example')).toMatchObject({ ok: true, email: 'info@xn--re-xia.example' });
  });

  it.each([
    ['', 'the address is empty'],
    ['anna.lindqvist', 'has no @'],
    ['anna@@example.org', 'has more than one @'],
    ['@example.org', 'has nothing before the @'],
    ['anna@', 'has no domain after the @'],
    ['anna lindqvist@example.org', 'contains a space'],
    ['.anna@example.org', 'not allowed before the @'],
    ['anna..l@example.org', 'not allowed before the @'],
    ['åsa@example.org', 'not allowed before the @'],
    ['anna@localhost', 'invalid domain'],
    ['anna@-example.org', 'invalid domain'],
    ['anna@example.123', 'invalid domain'],
    ['anna@example.s3', 'invalid top-level domain'],
    ['Anna <anna@example.org>', 'contains a space'],
    ['<anna@example.org>', 'write the bare address'],
    ['mailto:anna@example.org', 'write the bare address'],
    [`${'a'.repeat(65)}@example.org`, 'longer than 64'],
    [`a@${Array.from({ length: 5 }, () => 'b'.repeat(60)).join('.')}.se`, 'longer than 254'],
  ])('rejects %j with a reason (%s)', (input, reason) => {
    const result = parseEmail(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('clips a huge value in its reason so messages stay readable', () => {
    const result = parseEmail('x'.repeat(100_000));
    expect(!result.ok && result.reason.length).toBeLessThan(100);
  });
});
