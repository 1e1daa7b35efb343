import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { selfSignedCert } from './transports/self-signed-cert.ts';
import { afterThisTest, ARCHIVE, ledger, runCli, SECRET, seedSubscribers, tempProject } from './helpers.ts';

describe('nyhetsbrev send over SMTP', () => {
  it('delivers one multipart/alternative message per recipient over STARTTLS, with both list headers', async () => {
    const cert = selfSignedCert();
    const received: { to: string[]; raw: Buffer; secure: boolean }[] = [];
    const server = new SMTPServer({
      key: cert.key,
      cert: cert.cert,
      logger: false,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth: (auth, _session, callback) =>
        auth.username === 'kansliet' && auth.password === 'hemligt'
          ? callback(null, { user: 'kansliet' })
          : callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 })),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks),
            secure: session.secure,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    afterThisTest(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.server.address() as AddressInfo).port;

    const project = tempProject([
      'transport:',
      '  default: smtp',
      '  smtp:',
      '    host: 127.0.0.1',
      `    port: ${port}`,
      '    userEnv: SMTP_USER',
      '    passwordEnv: SMTP_PASSWORD',
    ]);
    seedSubscribers(project, 3);
    const ca = join(project.dir, 'ca.pem');
    writeFileSync(ca, cert.cert);
    const run = await runCli(project, ['send', '2025-01', '--issues', ARCHIVE, '--yes'], {
      NODE_EXTRA_CA_CERTS: ca,
      SMTP_USER: 'kansliet',
      SMTP_PASSWORD: 'hemligt',
      NYHETSBREV_SECRET: SECRET,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('via smtp: 3 sent, 0 failed, 0 skipped, 0 uncertain of 3 recipients');
    expect(ledger(project)).toEqual({ sent: 3 });
    expect(received.map((r) => r.to).sort()).toEqual([
      ['person-00000@example.org'],
      ['person-00001@example.org'],
      ['person-00002@example.org'],
    ]);
    expect(received.every((r) => r.secure)).toBe(true);

    const mail = await simpleParser(received.find((r) => r.to[0] === 'person-00001@example.org')!.raw);
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    const raw = received[0]!.raw.toString('utf8');
    expect(raw.indexOf('Content-Type: text/plain; charset=utf-8')).toBeLessThan(
      raw.indexOf('Content-Type: text/html; charset=utf-8'),
    );
    expect(
      mail.headerLines.some((h) =>
        /^List-Unsubscribe: <https:\/\/natverket\.example\.org\/nyhetsbrev\/prenumeration\/avregistrera\?t=/.test(
          h.line.replace(/\r?\n\s+/g, ' '),
        ),
      ),
    ).toBe(true);
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    expect(mail.messageId).toMatch(/^<c1-[0-9a-f]{8}\.[0-9a-f]{32}@natverket\.example\.org>$/);
    expect(mail.subject).toBe('Januarinumret – kort och klart');
  });
});
