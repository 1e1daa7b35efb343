import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LISTS_YML, SECRET } from './helpers.ts';

const BIN = resolve('bin/nyhetsbrev.js');
const dir = mkdtempSync(join(tmpdir(), 'nyhetsbrev-serve-cli-'));
const config = join(dir, 'nyhetsbrev.yml');
writeFileSync(join(dir, 'lists.yml'), LISTS_YML);
writeFileSync(
  config,
  `organisation: Nätverket
newsletter: Nyhetsbrevet
baseUrl: https://natverket.example.org/nyhetsbrev/
sender:
  from: nyhetsbrev@natverket.example.org
footer: Test.
database: db.sqlite
lists: lists.yml
`,
);

/** The environment without any of our secrets, plus `extra`. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const copy = { ...process.env, ...extra };
  if (!extra.NYHETSBREV_SECRET) delete copy.NYHETSBREV_SECRET;
  delete copy.RESEND_WEBHOOK_SECRET;
  return copy;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nyhetsbrev serve (CLI)', () => {
  it('refuses to start without NYHETSBREV_SECRET: ServeRefused with a hint, exit 1', () => {
    const run = spawnSync(process.execPath, [BIN, '--config', config, 'serve', '--port', '0'], {
      env: env(),
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'ServeRefused: nyhetsbrev serve did not start: NYHETSBREV_SECRET is not set.',
    );
    expect(run.stderr).toContain('hint: Set NYHETSBREV_SECRET');
  });

  it('rejects a bad --port as a usage error', () => {
    const run = spawnSync(process.execPath, [BIN, '--config', config, 'serve', '--port', 'http'], {
      env: env({ NYHETSBREV_SECRET: SECRET }),
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('UsageError: --port http is not a port number.');
  });

  it('serves on loopback until SIGTERM, then stops gracefully with exit 0', async () => {
    const child = spawn(process.execPath, [BIN, '--config', config, 'serve', '--port', '0'], {
      env: env({ NYHETSBREV_SECRET: SECRET }),
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no start-up line in: ${out}`)), 30_000);
      child.stdout.on('data', () => {
        const match = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+\/)/);
        if (match) {
          clearTimeout(timer);
          done(match[1]!);
        }
      });
    });
    // No endpoint in the config: the routes are at the root and under /nyhetsbrev/prenumeration/.
    expect((await fetch(`${url}prenumerera`)).status).toBe(200);
    expect((await fetch(`${url}nyhetsbrev/prenumeration/`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('nyhetsbrev serve stopped.');
    // The transport says where it writes: the outbox its folder, resolved from the config's.
    expect(out).toContain(`  confirmation emails: outbox (${join(dir, 'outbox')})\n`);
    expect(out).not.toContain(SECRET);
  });
});
