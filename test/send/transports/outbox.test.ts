import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutboxTransport, outboxFileName } from '../../../src/send/transports/index.ts';
import { email, emails } from './fixtures.ts';

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
    const file = join(dir, 'outbox', 'nyhetsbrev%2Fc1%2F0=anna@example.org.eml');
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

  it('overwrites instead of duplicating when a chunk is sent again, and leaves no temporary files', async () => {
    const transport = createOutboxTransport({ dir });
    await transport.sendChunk(emails(3), { idempotencyKey: 'nyhetsbrev/c1/0' });
    await transport.sendChunk(emails(3), { idempotencyKey: 'nyhetsbrev/c1/0' });
    await transport.sendChunk(emails(2, 'next'), { idempotencyKey: 'nyhetsbrev/c1/1' });
    expect((await readdir(dir)).sort()).toEqual(
      [
        ...emails(3).map((e) => outboxFileName('nyhetsbrev/c1/0', e.to)),
        ...emails(2, 'next').map((e) => outboxFileName('nyhetsbrev/c1/1', e.to)),
      ].sort(),
    );
  });

  it('gives different (key, recipient) pairs different file names', () => {
    const names = [
      outboxFileName('a/b', 'x@example.org'),
      outboxFileName('a%2Fb', 'x@example.org'),
      outboxFileName('a', 'b=x@example.org'),
      outboxFileName('a=b', 'x@example.org'),
      outboxFileName('a', 'åsa@example.org'),
    ];
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n) => /^[A-Za-z0-9._@+%=-]+\.eml$/.test(n))).toBe(true);
  });

  it('stops with rejected when the outbox folder cannot be created', async () => {
    await writeFile(join(dir, 'taken'), 'a file, not a folder');
    const transport = createOutboxTransport({ dir: join(dir, 'taken', 'outbox') });
    const outcome = await transport.sendChunk(emails(2), { idempotencyKey: 'k' });
    expect(outcome.results).toEqual([]);
    expect(outcome.stop).toMatchObject({ kind: 'rejected', code: 'ENOTDIR' });
  });
});
