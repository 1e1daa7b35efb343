import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { UserError } from '../../src/errors.ts';

const FILE = '/srv/nyhetsbrev/nyhetsbrev.yml';

/** A config that differs from a valid one only in its `sender:` block. */
function withSender(sender: string): string {
  return `organisation: Nätverket
newsletter: Nyhetsbrev
baseUrl: https://natverket.example.org/nyhetsbrev/
sender:
${sender}
footer: Du får det här brevet.
`;
}

function problem(text: string): UserError {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    if (error instanceof UserError && error.name === 'ConfigInvalid') return error;
    throw error;
  }
  throw new Error('expected ConfigInvalid');
}

describe('sender addresses in the config', () => {
  it('refuses a sender.from that is not an address, at its file:line:col', () => {
    const error = problem(withSender('  from: not an address'));
    expect(error.message).toContain(`${FILE}:5:9 sender.from: "not an address" has no email address in it`);
  });

  it('refuses a reply-to that is not an address, and reports both problems at once', () => {
    const error = problem(withSender('  from: Kansliet <nyhetsbrev@>\n  replyTo: svar@example'));
    expect(error.message).toContain('has 2 problem(s)');
    expect(error.message).toMatch(new RegExp(`${FILE}:5:9 sender\\.from: .*Kansliet <nyhetsbrev@>`));
    expect(error.message).toMatch(new RegExp(`${FILE}:6:12 sender\\.replyTo: "svar@example"`));
  });

  it('refuses more than one address and a group: an email has one sender', () => {
    expect(problem(withSender('  from: a@example.org, b@example.org')).message).toContain(
      'sender.from: "a@example.org, b@example.org" names 2 addresses',
    );
    expect(problem(withSender('  from: "kansliet: a@example.org;"')).message).toContain('sender.from:');
  });

  it('accepts a bare address, a display name with Swedish letters, and a quoted name with a comma', () => {
    for (const from of [
      'nyhetsbrev@natverket.example.org',
      'Nätverkets kansli <nyhetsbrev@natverket.example.org>',
      '"Kansliet, Nätverket" <k@example.org>',
    ]) {
      const config = parseConfig(withSender(`  from: '${from}'\n  replyTo: svar@example.org`), FILE);
      expect(config.sender).toEqual({ from, replyTo: 'svar@example.org' });
    }
  });
});
