import { cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { audience, openStore } from '../../src/audience/index.ts';
import { ROOT, runCli, tempDir, type Project } from './helpers.ts';

/** A copy of the repository's quick-start inputs: config, sample issues, lists and sample subscribers. */
function quickStart(): Project {
  const dir = tempDir();
  cpSync(join(ROOT, 'issues'), join(dir, 'issues'), { recursive: true });
  mkdirSync(join(dir, 'subscribers'));
  for (const file of ['lists.yml', 'sample-subscribers.csv'])
    cpSync(join(ROOT, 'subscribers', file), join(dir, 'subscribers', file));
  cpSync(join(ROOT, 'nyhetsbrev.yml'), join(dir, 'nyhetsbrev.yml'));
  return {
    dir,
    file: join(dir, 'nyhetsbrev.yml'),
    database: join(dir, 'subscribers/nyhetsbrev.db'),
    outbox: join(dir, 'outbox'),
    config: () => {
      throw new Error('not used');
    },
  };
}

function header(mail: Awaited<ReturnType<typeof simpleParser>>, key: string): string | undefined {
  return mail.headerLines
    .find((h) => h.key === key)
    ?.line.replace(/^[^:]+:\s*/, '')
    .replace(/\r?\n\s+/g, ' ');
}

describe('nyhetsbrev demo (npm start)', () => {
  it('builds the samples and sends the newest issue to the sample subscribers through the outbox; a second run sends nothing', async () => {
    const p = quickStart();
    const first = await runCli(p, ['demo']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('1. Built 4 issue(s)');
    expect(first.stdout).toContain('3. Sending 2026-11 through the outbox:');

    const store = openStore(p.database, { env: {} });
    const active = audience(store).length;
    store.close();
    expect(active).toBeGreaterThan(20);
    const files = readdirSync(p.outbox).filter((name) => name.endsWith('.eml'));
    expect(files).toHaveLength(active);
    expect(first.stdout).toContain(`${active} .eml file(s) for 2026-11, one per recipient`);

    const urls = new Set<string>();
    const ids = new Set<string>();
    for (const name of files) {
      const raw = readFileSync(join(p.outbox, name));
      expect(raw.toString('latin1')).not.toContain('NYHETSBREV_UNSUBSCRIBE_URL');
      // RFC 5322 as a relay takes it: CRLF only, no line over 998 characters.
      expect(raw.toString('latin1').match(/\r(?!\n)|(?<!\r)\n/g), name).toBeNull();
      expect(
        Math.max(
          ...raw
            .toString('latin1')
            .split('\r\n')
            .map((line) => line.length),
        ),
      ).toBeLessThanOrEqual(998);
      const mail = await simpleParser(raw);
      // Named by the delivery's Message-ID, which is unguessable, not by the address.
      const to = (mail.to as { value: { address: string }[] }).value[0]!.address;
      const id = /^<(c1-[0-9a-f]{8}\.[0-9a-f]{32})@natverket\.example\.org>$/.exec(mail.messageId ?? '')?.[1];
      expect(name).toBe(`${id}.eml`);
      expect(name.toLowerCase()).not.toContain(to.split('@')[0]!.toLowerCase());
      ids.add(id!);
      const url = /^<(https:\/\/natverket\.example\.org\/prenumeration\/avregistrera\?t=[\w.-]+)>$/.exec(
        header(mail, 'list-unsubscribe') ?? '',
      )?.[1];
      expect(url, name).toBeDefined();
      expect(mail.text).toContain(url);
      expect(mail.html).toContain(url);
      expect(mail.html).not.toContain('NYHETSBREV_UNSUBSCRIBE_URL');
      expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      expect((mail.headers.get('list') as { id: { id: string } }).id.id).toBe(
        'nyhetsbrev.natverket.example.org',
      );
      expect(mail.subject).toBe('Ett år av samarbete – och planerna för 2027');
      urls.add(url!);
    }
    expect(urls.size).toBe(active);
    expect(ids.size).toBe(active);

    const second = await runCli(p, ['demo']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`2026-11 was already sent to ${active} recipients on`);
    expect(second.stdout).toContain(`0 added, ${active} already present`);
    expect(readdirSync(p.outbox)).toHaveLength(active);
  });
});
