import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createOutboxTransport,
  outboxFileName,
  removeAddressNamedFiles,
} from '../../../src/send/transports/index.ts';
import type { OutgoingEmail } from '../../../src/send/types.ts';
import { email, emails } from './fixtures.ts';

/** `emails(n, prefix)` with the Message-IDs a campaign gives them: `<c1.<prefix>-<i>@example.org>`. */
function delivered(n: number, prefix = 'person'): OutgoingEmail[] {
  return emails(n, prefix).map((e, i) => ({ ...e, messageId: `<c1.${prefix}-${i}@example.org>` }));
}

/** Line breaks that are not CRLF: a bare LF or a bare CR. */
function bareBreaks(raw: Buffer): number {
  return (raw.toString('latin1').match(/\r(?!\n)|(?<!\r)\n/g) ?? []).length;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nyhetsbrev-outbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('outbox transport', () => {
  it('writes one parseable .eml per recipient with both list headers, text then HTML, UTF-8', async () => {
    const transport = createOutboxTransport({ dir: join(dir, 'outbox') });
    const outcome = await transport.sendChunk(
      [email('anna@example.org', { messageId: '<c1.0@example.org>' })],
      {
        idempotencyKey: 'nyhetsbrev/c1/0',
      },
    );
    const file = join(dir, 'outbox', 'c1.0.eml');
    expect(outcome).toEqual({
      results: [{ index: 0, to: 'anna@example.org', status: 'sent', providerId: file }],
    });
    const raw = await readFile(file);
    const parsed = await simpleParser(raw);
    expect(parsed.messageId).toBe('<c1.0@example.org>');
    expect(parsed.to).toMatchObject({ value: [{ address: 'anna@example.org' }] });
    expect(parsed.from).toMatchObject({
      value: [{ name: 'Nätverkets kansli', address: 'nyhetsbrev@example.org' }],
    });
    expect(parsed.subject).toBe('Nyhetsbrev mars 2023: Den intensiva våren ger frukt');
    expect(parsed.text).toContain('läs om åäö');
    expect(parsed.html).toContain('läs om åäö');
    const lines = parsed.headerLines.map((h) => h.line);
    expect(lines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(lines.some((l) => l.startsWith('List-Unsubscribe: <https://example.org/avregistrera/'))).toBe(
      true,
    );
    const text = raw.toString('utf8');
    expect(text).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(text.indexOf('text/plain; charset=utf-8')).toBeLessThan(text.indexOf('text/html; charset=utf-8'));
  });

  it('ends every line in CRLF and keeps every line within 998 characters, whatever the parts hold', async () => {
    const transport = createOutboxTransport({ dir });
    const long = email('anna@example.org', {
      messageId: '<c1.0@example.org>',
      // Bare LF, CRLF and a bare CR in the text; an HTML line of 5,000 characters, as MJML writes them.
      text: 'Rad ett\nRad två\r\nRad tre\rRad fyra\n\nAvregistrera: https://example.org/x\n',
      html: `<!doctype html>\n<html lang="sv">\n<body><p>${'Våren är här. '.repeat(360)}</p>\n</body></html>\n`,
      headers: {
        ...email('anna@example.org').headers,
        'List-Id': `${'=?UTF-8?Q?N=C3=A4tverket?= '.repeat(40)}<nyhetsbrev.example.org>`,
      },
    });
    await transport.sendChunk([long], { idempotencyKey: 'nyhetsbrev/c1/0' });
    const [name] = await readdir(dir);
    const raw = await readFile(join(dir, name!));
    expect(bareBreaks(raw)).toBe(0);
    expect(raw.subarray(-2).toString('latin1')).toBe('\r\n');
    const lines = raw.toString('latin1').split('\r\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(998);
    const parsed = await simpleParser(raw);
    expect(parsed.text).toContain('Rad tre');
    expect(parsed.html).toContain('Våren är här. '.repeat(360).trim());
  });

  it('refuses to write a message with a line a relay would refuse, and says which', async () => {
    const transport = createOutboxTransport({ dir });
    const headers = {
      ...email('anna@example.org').headers,
      'X-Long': `<https://example.org/${'a'.repeat(1200)}>`,
    };
    const outcome = await transport.sendChunk([{ ...delivered(1)[0]!, headers }], { idempotencyKey: 'k' });
    expect(outcome.results).toEqual([]);
    expect(outcome.stop).toMatchObject({ kind: 'rejected' });
    expect(outcome.stop?.reason).toContain('has a line longer than 998 characters (RFC 5322)');
    expect(await readdir(dir)).toEqual([]);
  });

  it('names each file by its delivery (the Message-ID), never by the address', async () => {
    const transport = createOutboxTransport({ dir });
    const chunk = [
      email('anna.lindqvist@example.org', { messageId: '<c3-1a2b3c4d.9f86d081884c7d65@example.org>' }),
      email('åsa@example.org', { messageId: '<c3-1a2b3c4d.0b5a7e3f22c1d9aa@example.org>' }),
    ];
    await transport.sendChunk(chunk, { idempotencyKey: 'nyhetsbrev/c3-1a2b3c4d/1' });
    const names = (await readdir(dir)).sort();
    expect(names).toEqual(['c3-1a2b3c4d.0b5a7e3f22c1d9aa.eml', 'c3-1a2b3c4d.9f86d081884c7d65.eml']);
    expect(names.join(' ')).not.toMatch(/anna|lindqvist|%C3%A5sa|@/i);
    // A test copy has no Message-ID of its own: it gets a random one, in the file and its name.
    await transport.sendChunk([email('erik@example.org')], { idempotencyKey: 'nyhetsbrev/test/x/1' });
    const copy = (await readdir(dir)).find((name) => !names.includes(name))!;
    const parsed = await simpleParser(await readFile(join(dir, copy)));
    expect(outboxFileName(parsed.messageId!)).toBe(copy);
    expect(copy).not.toContain('erik');
  });

  it('overwrites instead of duplicating when a chunk is sent again, and leaves no temporary files', async () => {
    const transport = createOutboxTransport({ dir });
    await transport.sendChunk(delivered(3), { idempotencyKey: 'nyhetsbrev/c1/0' });
    await transport.sendChunk(delivered(3), { idempotencyKey: 'nyhetsbrev/c1/0' });
    await transport.sendChunk(delivered(2, 'next'), { idempotencyKey: 'nyhetsbrev/c1/1' });
    expect((await readdir(dir)).sort()).toEqual(
      [...delivered(3), ...delivered(2, 'next')].map((e) => outboxFileName(e.messageId!)).sort(),
    );
  });

  it('replaces the address-named file an earlier release wrote for the same delivery', async () => {
    // What releases before 2026-12 wrote for this chunk: one file per recipient, named by address.
    await writeFile(join(dir, 'nyhetsbrev%2Fc1%2F0=person-0@example.org.eml'), 'earlier');
    await writeFile(join(dir, 'nyhetsbrev%2Fc1%2F0=person-1@example.org.eml'), 'earlier');
    const transport = createOutboxTransport({ dir });
    await transport.sendChunk(delivered(2), { idempotencyKey: 'nyhetsbrev/c1/0' });
    expect((await readdir(dir)).sort()).toEqual(['c1.person-0.eml', 'c1.person-1.eml']);
  });

  it("removes one person's address-named files, in any case, and no one else's (subscribers forget)", async () => {
    for (const name of [
      'nyhetsbrev%2Fc1%2F0=Anna@Example.org.eml',
      'nyhetsbrev%2Fc2%2F4=anna@example.org.eml',
      'nyhetsbrev%2Fc2%2F4=hanna@example.org.eml',
      'nyhetsbrev%2Fc2%2F4=anna@example.org.se.eml',
      'c2.0b5a7e3f22c1d9aa.eml',
    ])
      await writeFile(join(dir, name), 'x');
    expect(removeAddressNamedFiles(dir, 'anna@example.org')).toBe(2);
    expect((await readdir(dir)).sort()).toEqual([
      'c2.0b5a7e3f22c1d9aa.eml',
      'nyhetsbrev%2Fc2%2F4=anna@example.org.se.eml',
      'nyhetsbrev%2Fc2%2F4=hanna@example.org.eml',
    ]);
    expect(removeAddressNamedFiles(join(dir, 'missing'), 'anna@example.org')).toBe(0);
  });

  it('gives different Message-IDs different file names, with no path characters', () => {
    const names = [
      outboxFileName('<a/b@example.org>'),
      outboxFileName('<a%2Fb@example.org>'),
      outboxFileName('<a.b@example.org>'),
      outboxFileName('<a..b@example.org>'),
      outboxFileName('<åsa@example.org>'),
    ];
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n) => /^[A-Za-z0-9._+%-]+\.eml$/.test(n))).toBe(true);
  });

  it('stops with rejected when the outbox folder cannot be created', async () => {
    await writeFile(join(dir, 'taken'), 'a file, not a folder');
    const transport = createOutboxTransport({ dir: join(dir, 'taken', 'outbox') });
    const outcome = await transport.sendChunk(delivered(2), { idempotencyKey: 'k' });
    expect(outcome.results).toEqual([]);
    expect(outcome.stop).toMatchObject({ kind: 'rejected', code: 'ENOTDIR' });
  });
});
