import { describe, expect, it } from 'vitest';
import {
  signedToken,
  unsubscribeToken,
  verifySignedToken,
  verifyUnsubscribeToken,
} from '../../src/tokens.ts';

const SECRET = 'a'.repeat(32);
const KEY = '0123456789abcdef0123456789abcdef';
const OTHER_KEY = 'fedcba9876543210fedcba9876543210';

describe('unsubscribe tokens', () => {
  it('round-trip to the subscriber id and token key and are deterministic', () => {
    const token = unsubscribeToken(SECRET, { id: 4711, tokenKey: KEY });
    expect(token).toBe(unsubscribeToken(SECRET, { id: 4711, tokenKey: KEY }));
    expect(verifyUnsubscribeToken(SECRET, token)).toEqual({ subscriberId: 4711, tokenKey: KEY });
    expect(token).not.toContain('4711');
  });

  it('differ for the same id with another token key: a link belongs to one person, not to an id', () => {
    const mine = unsubscribeToken(SECRET, { id: 7, tokenKey: KEY });
    const theirs = unsubscribeToken(SECRET, { id: 7, tokenKey: OTHER_KEY });
    expect(mine).not.toBe(theirs);
    expect(verifyUnsubscribeToken(SECRET, theirs)?.tokenKey).toBe(OTHER_KEY);
  });

  it('read a link sent before schema 4 (the id alone) as a claim without a key', () => {
    const old = signedToken(SECRET, 'unsubscribe', '42');
    expect(verifyUnsubscribeToken(SECRET, old)).toEqual({ subscriberId: 42, tokenKey: null });
  });

  it('reject a tampered id or key, a foreign secret, another purpose and garbage', () => {
    const token = unsubscribeToken(SECRET, { id: 42, tokenKey: KEY });
    const [, signature] = token.split('.');
    for (const payload of ['43', `43.${KEY}`, `42.${OTHER_KEY}`, '42']) {
      const forged = `${Buffer.from(payload).toString('base64url')}.${signature}`;
      expect(verifyUnsubscribeToken(SECRET, forged)).toBeUndefined();
    }
    expect(verifyUnsubscribeToken('b'.repeat(32), token)).toBeUndefined();
    expect(verifySignedToken(SECRET, 'confirm', token)).toBeUndefined();
    for (const bad of ['', '.', 'abc', `${token}.x`, token.slice(0, -2)]) {
      expect(verifyUnsubscribeToken(SECRET, bad)).toBeUndefined();
    }
    expect(verifyUnsubscribeToken(SECRET, signedToken(SECRET, 'unsubscribe', '42.short'))).toBeUndefined();
    expect(() => unsubscribeToken(SECRET, { id: 1, tokenKey: 'not-a-key' })).toThrow(/token key/);
  });

  it('sign arbitrary payloads per purpose', () => {
    const token = signedToken(SECRET, 'confirm', '7.1767225600.nonce');
    expect(verifySignedToken(SECRET, 'confirm', token)).toBe('7.1767225600.nonce');
    expect(verifyUnsubscribeToken(SECRET, token)).toBeUndefined();
  });
});
