import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  holdWriteLock,
  insertActive,
  lockWaitClock,
  postForm,
  snapshot,
  startTestServer,
  subscriberRow,
  subscribeAndGetLink,
  unsubscribeTokenOf,
  svixHeaders,
  type TestServer,
} from './helpers.ts';

// Another process (a 100,000-row import, a send) holding the write lock for seconds: the test holds
// it from a second connection. Serve's wait for the lock runs on a clock that moves only when it
// sleeps, so "gives up after the budget" takes no real time.
const wait = lockWaitClock();
let server: TestServer;
let lock: { release(): void } | undefined;

beforeAll(async () => {
  server = await startTestServer({ lockWait: wait });
});

afterEach(() => {
  lock?.release();
  lock = undefined;
  wait.frozen = false;
});

afterAll(async () => {
  await server?.stop();
});

const take = () => (lock = holdWriteLock(server.deps.store.path));
const release = () => {
  lock?.release();
  lock = undefined;
};
const activeSubscriber = (email: string) => insertActive(server, email);
const oneClick = (id: number) =>
  postForm(`${server.endpoint}avregistrera?t=${unsubscribeTokenOf(server, id)}`, {
    'List-Unsubscribe': 'One-Click',
  });

describe('serve while another process holds the write lock', () => {
  it('keeps serving pages and reads: the form, a confirmation page, the unsubscribe page, the stylesheet', async () => {
    const link = await subscribeAndGetLink(server, 'lasare@example.org');
    const id = activeSubscriber('sida@example.org');
    take();
    expect((await fetch(`${server.endpoint}prenumerera`)).status).toBe(200);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Bekräfta prenumerationen');
    expect((await fetch(`${server.endpoint}avregistrera?t=${unsubscribeTokenOf(server, id)}`)).status).toBe(
      200,
    );
    expect((await fetch(`${server.endpoint}assets/style.css`)).status).toBe(200);
  });

  it('answers other requests while a write waits for the lock, and the write goes through once it is free', async () => {
    take();
    wait.frozen = true;
    const waiting = postForm(`${server.endpoint}prenumerera`, { email: 'talmodig@example.org' });
    // With the event loop blocked in SQLite's busy_timeout this would wait for the write first.
    expect((await fetch(`${server.endpoint}prenumerera`)).status).toBe(200);
    expect(subscriberRow(server, 'talmodig@example.org')).toBeUndefined();
    release();
    expect((await waiting).status).toBe(200);
    expect(subscriberRow(server, 'talmodig@example.org')?.status).toBe('pending');
  });

  it('answers a subscribe it cannot write 503 with Retry-After and a Swedish page, and stores nothing', async () => {
    take();
    const before = snapshot(server);
    const sleeps = wait.sleeps;
    const response = await postForm(`${server.endpoint}prenumerera`, { email: 'upptagen@example.org' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.text()).toContain('Försök igen om en stund');
    expect(wait.sleeps).toBeGreaterThan(sleeps);
    expect(snapshot(server)).toBe(before);
    release();
    expect((await postForm(`${server.endpoint}prenumerera`, { email: 'upptagen@example.org' })).status).toBe(
      200,
    );
    expect(subscriberRow(server, 'upptagen@example.org')?.status).toBe('pending');
  });

  it('answers a confirmation it cannot write 503 and leaves the link unused, so it works once the lock is free', async () => {
    const link = await subscribeAndGetLink(server, 'bekraftar@example.org');
    take();
    const busy = await fetch(link, { method: 'POST' });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('5');
    expect(subscriberRow(server, 'bekraftar@example.org')?.status).toBe('pending');
    release();
    const done = await fetch(link, { method: 'POST' });
    expect(done.status).toBe(200);
    expect(subscriberRow(server, 'bekraftar@example.org')?.status).toBe('active');
  });

  it('answers a webhook it cannot apply 503, and applies the same message when Resend retries', async () => {
    activeSubscriber('studs@example.org');
    const body = JSON.stringify({
      type: 'email.bounced',
      created_at: new Date().toISOString(),
      data: { email_id: 're_busy', to: ['studs@example.org'], bounce: { type: 'Permanent' } },
    });
    take();
    const busy = await fetch(`${server.endpoint}webhooks/resend`, {
      method: 'POST',
      body,
      headers: svixHeaders(body, { id: 'msg_busy' }),
    });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('5');
    release();
    const retried = await fetch(`${server.endpoint}webhooks/resend`, {
      method: 'POST',
      body,
      headers: svixHeaders(body, { id: 'msg_busy' }),
    });
    expect(await retried.json()).toEqual({ ok: true, outcome: 'applied' });
    expect(subscriberRow(server, 'studs@example.org')?.status).toBe('bounced');
  });

  it('accepts a one-click unsubscribe with 200, keeps it in the journal on disk, and applies it once the lock is free', async () => {
    const id = activeSubscriber('lamnar@example.org');
    take();
    const response = await oneClick(id);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Du är avregistrerad');
    expect(subscriberRow(server, 'lamnar@example.org')?.status).toBe('active');
    expect(readFileSync(server.deps.unsubscribes.path, 'utf8')).toContain(unsubscribeTokenOf(server, id));
    await expect(server.deps.unsubscribes.drain()).rejects.toThrow('database is busy');
    release();
    expect(await server.deps.unsubscribes.drain()).toBe(1);
    expect(subscriberRow(server, 'lamnar@example.org')?.status).toBe('unsubscribed');
    expect(server.deps.store.suppression('lamnar@example.org')?.reason).toBe('unsubscribed');
    expect(existsSync(server.deps.unsubscribes.path)).toBe(false);
  });
});

describe('a journaled unsubscribe', () => {
  it('survives a restart: serve stopped while the lock was held applies it when it starts again', async () => {
    const first = await startTestServer({ lockWait: lockWaitClock() });
    const { dir } = first;
    const id = insertActive(first, 'omstart@example.org');
    const held = holdWriteLock(first.deps.store.path);
    const response = await postForm(`${first.endpoint}avregistrera?t=${unsubscribeTokenOf(first, id)}`, {
      'List-Unsubscribe': 'One-Click',
    });
    expect(response.status).toBe(200);
    await first.close();
    held.release();
    const second = await startTestServer({ lockWait: lockWaitClock() }, dir);
    try {
      expect(subscriberRow(second, 'omstart@example.org')?.status).toBe('unsubscribed');
      expect(second.logs).toContain('unsubscribe: 1 journaled request(s) applied');
    } finally {
      await second.stop();
    }
  });
});
