import { describe, expect, it } from 'vitest';
import {
  signedToken,
  unsubscribeToken,
  verifySignedToken,
  verifyUnsubscribeToken,
} from '../../src/tokens.ts';

const SECRET = 'a'.repeat(32);

describe('unsubscribe tokens', () => {
  it('round-trip to the subscriber id and are deterministic', () => {
    const token = unsubscribeToken(SECRET, 4711);
    expect(token).toBe(unsubscribeToken(SECRET, 4711));
    expect(verifyUnsubscribeToken(SECRET, token)).toBe(4711);
    expect(token).not.toContain('4711');
  });

  it('reject a tampered id, a foreign secret, another purpose and garbage', () => {
    const token = unsubscribeToken(SECRET, 42);
    const [, signature] = token.split('.');
    const forged = `${Buffer.from('43').toString('base64url')}.${signature}`;
    expect(verifyUnsubscribeToken(SECRET, forged)).toBeUndefined();
    expect(verifyUnsubscribeToken('b'.repeat(32), token)).toBeUndefined();
    expect(verifySignedToken(SECRET, 'confirm', token)).toBeUndefined();
    for (const bad of ['', '.', 'abc', `${token}.x`, token.slice(0, -2)]) {
      expect(verifyUnsubscribeToken(SECRET, bad)).toBeUndefined();
    }
  });

  it('sign arbitrary payloads per purpose', () => {
    const token = signedToken(SECRET, 'confirm', '7.1767225600.nonce');
    expect(verifySignedToken(SECRET, 'confirm', token)).toBe('7.1767225600.nonce');
    expect(verifyUnsubscribeToken(SECRET, token)).toBeUndefined();
  });
});
