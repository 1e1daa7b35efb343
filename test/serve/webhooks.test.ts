import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertActive,
  snapshot,
  startTestServer,
  subscriberRow,
  svixHeaders,
  type TestServer,
} from './helpers.ts';

let server: TestServer;
let sequence = 0;

beforeAll(async () => {
  server = await startTestServer();
  server.deps.store.db
    .prepare(
      `INSERT INTO campaigns (id, issue_id, subject, lists, status, created_at) VALUES (1, '2026-11', 'Nummer', '["nyhetsbrev"]', 'complete', ?)`,
    )
    .run(new Date().toISOString());
});

afterAll(async () => {
  await server?.stop();
});

/** An active subscriber with one sent delivery of campaign 1 whose provider id is `re_<n>`. */
function sentTo(email: string): { id: number; providerId: string } {
  const id = insertActive(server, email);
  const position = ++sequence;
  const providerId = `re_${position}`;
  server.deps.store.db
    .prepare(
      `INSERT INTO deliveries (campaign_id, position, subscriber_id, email, chunk, status, provider_id, attempts, updated_at)
       VALUES (1, ?, ?, ?, 0, 'sent', ?, 1, ?)`,
    )
    .run(position, id, email, providerId, new Date().toISOString());
  return { id, providerId };
}

function event(
  type: string,
  providerId: string,
  to: string,
  extra: object = {},
  createdAt = new Date().toISOString(),
) {
  return JSON.stringify({
    type,
    created_at: createdAt,
    data: {
      email_id: providerId,
      created_at: createdAt,
      from: 'Nätverket <nyhetsbrev@natverket.example.org>',
      to: [to],
      subject: 'Nummer',
      ...extra,
    },
  });
}

function deliver(body: string, headers: Record<string, string>) {
  return fetch(`${server.endpoint}webhooks/resend`, { method: 'POST', body, headers });
}

const signed = (body: string, id = `msg_${++sequence}`) => deliver(body, svixHeaders(body, { id }));

function delivery(providerId: string) {
  return server.deps.store.db
    .prepare<[string], { provider_event: string | null; provider_event_at: string | null; status: string }>(
      'SELECT provider_event, provider_event_at, status FROM deliveries WHERE provider_id = ?',
    )
    .get(providerId)!;
}

describe('POST /webhooks/resend', () => {
  it('records delivery events on the delivery row with that provider id', async () => {
    const { providerId } = sentTo('levererad@example.org');
    const response = await signed(event('email.delivered', providerId, 'levererad@example.org'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, outcome: 'applied' });
    expect(delivery(providerId)).toMatchObject({ provider_event: 'delivered', status: 'sent' });
    expect(subscriberRow(server, 'levererad@example.org')!.status).toBe('active');
  });

  it('keeps the newest event when events arrive out of order', async () => {
    const { providerId } = sentTo('ordning@example.org');
    await signed(event('email.delivered', providerId, 'ordning@example.org', {}, '2026-11-03T08:00:05.000Z'));
    await signed(
      event('email.delivery_delayed', providerId, 'ordning@example.org', {}, '2026-11-03T08:00:01.000Z'),
    );
    expect(delivery(providerId).provider_event).toBe('delivered');
  });

  it('stops and suppresses a permanently bounced address', async () => {
    const { providerId } = sentTo('studsar@example.org');
    const bounce = { bounce: { type: 'Permanent', subType: 'General', message: 'mailbox does not exist' } };
    expect((await signed(event('email.bounced', providerId, 'studsar@example.org', bounce))).status).toBe(
      200,
    );
    expect(subscriberRow(server, 'studsar@example.org')!.status).toBe('bounced');
    expect(server.deps.store.suppression('studsar@example.org')?.reason).toBe('bounced');
    expect(delivery(providerId).provider_event).toBe('bounced');
  });

  it('only notes a transient or undetermined bounce on the delivery', async () => {
    for (const type of ['Transient', 'Undetermined']) {
      const email = `${type.toLowerCase()}@example.org`;
      const { providerId } = sentTo(email);
      const bounce = { bounce: { type, subType: 'MailboxFull', message: 'mailbox full' } };
      await signed(event('email.bounced', providerId, email, bounce));
      expect(subscriberRow(server, email)!.status).toBe('active');
      expect(server.deps.store.suppression(email)).toBeUndefined();
      expect(delivery(providerId).provider_event).toBe('bounced_transient');
    }
  });

  it('stops and suppresses on a complaint, and a later bounce does not weaken it', async () => {
    const { providerId } = sentTo('klagar@example.org');
    await signed(event('email.complained', providerId, 'klagar@example.org'));
    expect(subscriberRow(server, 'klagar@example.org')!.status).toBe('complained');
    expect(server.deps.store.suppression('klagar@example.org')?.reason).toBe('complained');
    await signed(
      event('email.bounced', providerId, 'klagar@example.org', {
        bounce: { type: 'Permanent', subType: 'General', message: '' },
      }),
    );
    expect(subscriberRow(server, 'klagar@example.org')!.status).toBe('complained');
  });

  it('treats email.suppressed as undeliverable: the subscriber by provider id, the address from `to`', async () => {
    const { providerId } = sentTo('sparrad@example.org');
    const suppressed = { suppressed: { type: 'OnAccountSuppressionList', message: '' } };
    await signed(event('email.suppressed', providerId, 'Spärrad Person <Alias@Example.org>', suppressed));
    expect(subscriberRow(server, 'sparrad@example.org')!.status).toBe('bounced');
    expect(server.deps.store.suppression('sparrad@example.org')?.reason).toBe('bounced');
    expect(server.deps.store.suppression('alias@example.org')?.reason).toBe('bounced');
  });

  it('ignores a replayed svix-id, even with another body: nothing changes', async () => {
    const { providerId } = sentTo('repris@example.org');
    const body = event('email.delivered', providerId, 'repris@example.org');
    const headers = svixHeaders(body, { id: 'msg_replay' });
    expect(await (await deliver(body, headers)).json()).toEqual({ ok: true, outcome: 'applied' });
    const before = snapshot(server);
    const replay = await deliver(body, headers);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ ok: true, outcome: 'duplicate' });
    const complaint = event('email.complained', providerId, 'repris@example.org');
    expect(
      await (await deliver(complaint, svixHeaders(complaint, { id: 'msg_replay' }))).json(),
    ).toMatchObject({ outcome: 'duplicate' });
    expect(snapshot(server)).toBe(before);
    expect(subscriberRow(server, 'repris@example.org')!.status).toBe('active');
  });

  it('refuses badly signed, stale, future and unsigned calls with 401 and changes nothing', async () => {
    const { providerId } = sentTo('falsk@example.org');
    const body = event('email.complained', providerId, 'falsk@example.org');
    const now = Math.floor(Date.now() / 1000);
    const good = svixHeaders(body, { id: 'msg_bad_1' });
    const attempts: [string, Record<string, string>][] = [
      [
        body,
        svixHeaders(body, {
          id: 'msg_bad_1',
          secret: `whsec_${Buffer.from('another-key-of-24-bytes!').toString('base64')}`,
        }),
      ],
      [body.replace('complained', 'delivered'), good],
      [body, { ...good, 'svix-id': 'msg_bad_2' }],
      [body, svixHeaders(body, { id: 'msg_bad_3', timestamp: now - 6 * 60 })],
      [body, svixHeaders(body, { id: 'msg_bad_4', timestamp: now + 6 * 60 })],
      [body, { ...good, 'svix-signature': 'v1,' }],
      [body, { 'content-type': 'application/json' }],
    ];
    const before = snapshot(server);
    for (const [payload, headers] of attempts) {
      const response = await deliver(payload, headers);
      expect(response.status).toBe(401);
    }
    expect(snapshot(server)).toBe(before);
    expect(subscriberRow(server, 'falsk@example.org')!.status).toBe('active');
    // Within the ±5 minutes it is accepted.
    expect((await deliver(body, svixHeaders(body, { id: 'msg_ok', timestamp: now - 4 * 60 }))).status).toBe(
      200,
    );
    expect(subscriberRow(server, 'falsk@example.org')!.status).toBe('complained');
  });

  it('answers 400 to a signed body that is not a Resend event, and ignores events it does not use', async () => {
    expect((await signed('{"hello":"world"}')).status).toBe(400);
    const opened = await signed(event('email.opened', 're_none', 'x@example.org'));
    expect(await opened.json()).toEqual({ ok: true, outcome: 'ignored' });
  });

  it('answers 400, not "invalid signature", to a correctly signed body that is not JSON', async () => {
    const before = snapshot(server);
    const response = await signed('{"type": "email.bounced", ');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'body is not JSON' });
    expect(snapshot(server)).toBe(before);
  });

  it('is off (404) without RESEND_WEBHOOK_SECRET', async () => {
    const off = await startTestServer({ env: { NYHETSBREV_SECRET: 'x'.repeat(32) } });
    try {
      const body = event('email.delivered', 're_1', 'x@example.org');
      const response = await fetch(`${off.endpoint}webhooks/resend`, {
        method: 'POST',
        body,
        headers: svixHeaders(body, { id: 'm' }),
      });
      expect(response.status).toBe(404);
    } finally {
      await off.stop();
    }
  });
});
