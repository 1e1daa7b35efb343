import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.ts';
import { startServer } from '../../src/serve/index.ts';
import {
  outboxMails,
  postForm,
  SECRET,
  serverForFile,
  startTestServer,
  subscribeAndGetLink,
  type TestServer,
  unsubscribeTokenOf,
} from './helpers.ts';

let server: TestServer;
serverForFile((started) => (server = started));

describe('starting', () => {
  it.each([
    ['is not set', {}],
    ['is shorter than 32 bytes', { NYHETSBREV_SECRET: 'x'.repeat(31) }],
  ])('refuses to start when NYHETSBREV_SECRET %s', async (_, env) => {
    const error = await startServer(server.config, { port: 0, env }).catch((e: unknown) => e);
    expect(isUserError(error) && error.name).toBe('ServeRefused');
    expect((error as Error).message).toContain('NYHETSBREV_SECRET');
  });

  it('refuses a RESEND_WEBHOOK_SECRET that is not a whsec_ secret', async () => {
    const env = { NYHETSBREV_SECRET: SECRET, RESEND_WEBHOOK_SECRET: 're_123_api_key_by_mistake' };
    const error = await startServer(server.config, { port: 0, env }).catch((e: unknown) => e);
    expect(isUserError(error) && error.name).toBe('ServeRefused');
  });

  it('listens on loopback by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('refuses a port that is taken, with a hint', async () => {
    const port = new URL(server.url).port;
    const env = { NYHETSBREV_SECRET: SECRET };
    const error = await startServer(server.config, { port: Number(port), env }).catch((e: unknown) => e);
    expect(isUserError(error) && error.name).toBe('ServeRefused');
    expect((error as { hint: string }).hint).toContain('--port');
  });
});

describe('responses', () => {
  it('carry a strict CSP and security headers, no cookies, and are not cached', async () => {
    for (const path of ['prenumerera', 'avregistrera?t=x', 'finns-inte']) {
      const response = await fetch(`${server.endpoint}${path}`);
      const headers = response.headers;
      expect(headers.get('content-security-policy')).toBe(
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      );
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('cache-control')).toBe('no-store');
      expect(headers.get('set-cookie')).toBeNull();
      expect(headers.get('x-powered-by')).toBeNull();
    }
  });

  it('serve the archive stylesheet and serve.css from their own origin', async () => {
    for (const name of ['style.css', 'serve.css']) {
      const response = await fetch(`${server.endpoint}assets/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect((await response.text()).length).toBeGreaterThan(100);
    }
  });

  it('answer an unknown path with a Swedish 404 page', async () => {
    const response = await fetch(`${server.url}nagot/annat`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('Sidan finns inte');
  });
});

describe('request size limits', () => {
  it('refuse a form body over 16 KB with 413 and store nothing', async () => {
    const response = await postForm(`${server.endpoint}prenumerera`, {
      email: 'stor@example.org',
      name: 'x'.repeat(20_000),
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('För mycket data');
    expect(server.deps.store.findSubscriber('stor@example.org')).toBeUndefined();
  });

  it('refuse a webhook body over 256 KB with 413', async () => {
    const body = JSON.stringify({ type: 'email.delivered', pad: 'x'.repeat(300_000) });
    const response = await fetch(`${server.endpoint}webhooks/resend`, { method: 'POST', body });
    expect(response.status).toBe(413);
  });
});

describe('logs', () => {
  it('hold no addresses, names, tokens or client addresses', async () => {
    const link = await subscribeAndGetLink(server, 'hemlig.person@example.org', { name: 'Hemlig Person' });
    await fetch(link, { method: 'POST' });
    const id = server.deps.store.findSubscriber('hemlig.person@example.org')!.id;
    const token = unsubscribeTokenOf(server, id);
    await postForm(`${server.endpoint}avregistrera?t=${token}`, { 'List-Unsubscribe': 'One-Click' });
    await fetch(`${server.url}hemlig.person@example.org`);
    const logs = server.logs.join('\n');
    expect(logs).toContain('POST avregistrera 200');
    for (const secret of [
      'hemlig',
      'Hemlig',
      'example.org',
      token,
      new URL(link).searchParams.get('t')!,
      '127.0.0.1',
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes a request in flight and its confirmation email, then refuses new connections', async () => {
    const own = await startTestServer();
    const { port } = new URL(own.url);
    const body = new URLSearchParams({ email: 'sist@example.org' }).toString();
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const ended = new Promise((resolve) => socket.once('close', resolve));
    // Headers and half the body now; the rest after shutdown has begun.
    socket.write(
      `POST /prenumeration/prenumerera HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = own.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.write(body.slice(5));
    await closing;
    await ended;
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(answer).toContain('Kolla din e-post');
    expect((await outboxMails(own)).map((mail) => mail.subject)).toEqual([
      'Bekräfta din prenumeration på Nyhetsbrev från Myndighetsnätverket',
    ]);
    await expect(fetch(own.url)).rejects.toThrow();
    rmSync(own.dir, { recursive: true, force: true });
  });
});
