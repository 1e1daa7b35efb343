import type { OutgoingEmail } from '../../../src/send/types.ts';

/** A personalised newsletter email to `to`, with both one-click unsubscribe headers. */
export function email(to: string, overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  const token = Buffer.from(to).toString('base64url');
  return {
    to,
    from: 'Nätverkets kansli <nyhetsbrev@example.org>',
    subject: 'Nyhetsbrev mars 2023: Den intensiva våren ger frukt',
    html: `<!doctype html><html lang="sv"><body><p>Hej! Våren är här – läs om åäö.</p><a href="https://example.org/avregistrera/${token}">Avregistrera</a></body></html>`,
    text: `Hej! Våren är här – läs om åäö.\n\nAvregistrera: https://example.org/avregistrera/${token}\n`,
    headers: {
      'List-Unsubscribe': `<https://example.org/avregistrera/${token}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': 'Nyhetsbrev <nyhetsbrev.example.org>',
    },
    tags: [
      { name: 'issue', value: '2023-03' },
      { name: 'campaign', value: 'c1' },
    ],
    ...overrides,
  };
}

/** `n` emails to `prefix-0@example.org` … */
export function emails(n: number, prefix = 'person'): OutgoingEmail[] {
  return Array.from({ length: n }, (_, i) => email(`${prefix}-${i}@example.org`));
}

/** The most requests whose `at` falls in any half-open window of `windowMs`. */
export function maxInAnyWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}
