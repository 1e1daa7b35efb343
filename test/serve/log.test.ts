import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLog } from '../../src/serve/log.ts';
import {
  LISTS_YML,
  postForm,
  SECRET,
  startTestServer,
  subscribeAndGetLink,
  unsubscribeTokenOf,
  type TestServer,
} from './helpers.ts';

const NOW = new Date('2026-11-03T08:15:00.000Z');

/** Every chunk written must be exactly one line holding one pino-shaped object. */
function parseLines(chunks: string[]): { level: number; time: number; msg: string }[] {
  return chunks.map((chunk) => {
    expect(chunk.endsWith('\n')).toBe(true);
    expect(chunk.slice(0, -1)).not.toContain('\n');
    const entry = JSON.parse(chunk) as { level: number; time: number; msg: string };
    expect(Object.keys(entry)).toEqual(['level', 'time', 'msg']);
    return entry;
  });
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('createLog', () => {
  it('writes text as "<ISO time> <line>" and json as one pino-shaped object per line', () => {
    const chunks: string[] = [];
    const options = { write: (text: string) => void chunks.push(text), now: () => NOW };
    createLog('text', options)('GET bekrafta 200 4ms');
    createLog('json', options)('GET bekrafta 200 4ms');
    createLog('json', options)('error: TypeError\n    at handler (app.ts:1:1)');
    expect(chunks[0]).toBe('2026-11-03T08:15:00.000Z GET bekrafta 200 4ms\n');
    expect(parseLines(chunks.slice(1))).toEqual([
      { level: 30, time: NOW.getTime(), msg: 'GET bekrafta 200 4ms' },
      { level: 50, time: NOW.getTime(), msg: 'error: TypeError\n    at handler (app.ts:1:1)' },
    ]);
  });
});

describe('serve with JSON logs', () => {
  it('logs a whole subscribe → confirm → unsubscribe cycle without an address, name, token or client IP', async () => {
    const chunks: string[] = [];
    server = await startTestServer({
      log: createLog('json', { write: (text) => void chunks.push(text), now: () => NOW }),
    });
    const email = 'Greta.Lind@example.org';
    const link = await subscribeAndGetLink(server, email, { name: 'Greta Lind' });
    await fetch(link);
    await fetch(link, { method: 'POST' });
    const id = server.deps.store.findSubscriber(email.toLowerCase())!.id;
    const token = unsubscribeTokenOf(server, id);
    await postForm(`${server.endpoint}avregistrera?t=${token}`, { 'List-Unsubscribe': 'One-Click' });
    // An address in the path of an unknown route is not echoed either.
    await fetch(`${server.endpoint}${encodeURIComponent(email)}`);

    const entries = parseLines(chunks);
    expect(entries.map((entry) => entry.msg.replace(/\d+ms$/, 'Nms'))).toEqual([
      'subscribe: confirmation email queued',
      'POST prenumerera 200 Nms',
      'GET bekrafta 200 Nms',
      'confirm: ok',
      'POST bekrafta 200 Nms',
      'unsubscribe: done',
      'POST avregistrera 200 Nms',
      'GET (other) 404 Nms',
    ]);
    expect(entries.every((entry) => entry.level === 30 && entry.time === NOW.getTime())).toBe(true);
    const all = chunks.join('');
    for (const secret of ['Greta', 'greta', 'example.org', link.split('t=')[1]!, token, '127.0.0.1'])
      expect(all).not.toContain(secret);
  });
});

describe('nyhetsbrev serve --log-format (CLI)', () => {
  const BIN = resolve('bin/nyhetsbrev.js');
  const dir = mkdtempSync(join(tmpdir(), 'nyhetsbrev-serve-log-'));
  const config = join(dir, 'nyhetsbrev.yml');
  writeFileSync(join(dir, 'lists.yml'), LISTS_YML);
  writeFileSync(
    config,
    'organisation: N\nnewsletter: B\nbaseUrl: https://natverket.example.org/nyhetsbrev/\n' +
      'sender:\n  from: nyhetsbrev@natverket.example.org\nfooter: T.\ndatabase: db.sqlite\nlists: lists.yml\n',
  );
  const env = { ...process.env, NYHETSBREV_SECRET: SECRET };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints every line, start-up and shutdown included, as JSON with --log-format json', async () => {
    const args = [BIN, '--config', config, 'serve', '--port', '0', '--log-format', 'json'];
    const child = spawn(process.execPath, args, { env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const url = await new Promise<string>((done) => {
      child.stdout.on('data', () => {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (match) done(match[1]!);
      });
    });
    expect((await fetch(`${url}healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const messages = parseLines(out.split(/(?<=\n)/)).map((entry) => entry.msg);
    expect(messages[0]).toBe(`nyhetsbrev serve is listening on ${url}`);
    expect(messages).toContainEqual(expect.stringMatching(/^GET healthz 200 \d+ms$/));
    expect(messages.at(-1)).toBe('nyhetsbrev serve stopped.');
  });

  it('refuses an unknown log format as a usage error', () => {
    const run = spawnSync(process.execPath, [BIN, '--config', config, 'serve', '--log-format', 'xml'], {
      env,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('UsageError: Unknown log format "xml".');
    expect(run.stderr).toContain('hint: Use one of: text, json.');
  });
});
