import { Resend } from 'resend';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeClock } from '../../support/fake-clock.ts';
import { startResendStub, type ResendStub, type ResendStubOptions } from '../../support/resend-stub.ts';
import { deliveriesPerRecipient, spawnResendStub } from '../../support/resend-stub-process.ts';

let stub: ResendStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function setup(options: ResendStubOptions = {}): Promise<{ stub: ResendStub; resend: Resend }> {
  stub = await startResendStub(options);
  return { stub, resend: new Resend(stub.apiKey, { baseUrl: stub.url }) };
}

const mail = (to: string) => ({
  from: 'Kansliet <nyhetsbrev@example.org>',
  to,
  subject: 'Mars 2023',
  html: '<p>Hej åäö</p>',
  text: 'Hej åäö',
  headers: {
    'List-Unsubscribe': '<https://example.org/u/x>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
  tags: [{ name: 'issue', value: '2023-03' }],
});
const batch = (n: number, prefix = 'p') =>
  Array.from({ length: n }, (_, i) => mail(`${prefix}${i}@example.org`));

describe('Resend API stub, through the real SDK', () => {
  it('accepts a batch and records every email with its headers, tags and both bodies', async () => {
    const { stub, resend } = await setup();
    const { data, error } = await resend.batch.send(batch(3));
    expect(error).toBeNull();
    expect(data?.data).toHaveLength(3);
    const recorded = stub.emails();
    expect(recorded.map((e) => e.to)).toEqual([['p0@example.org'], ['p1@example.org'], ['p2@example.org']]);
    expect(recorded[0]).toMatchObject({
      subject: 'Mars 2023',
      html: '<p>Hej åäö</p>',
      text: 'Hej åäö',
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      tags: [{ name: 'issue', value: '2023-03' }],
    });
    expect(recorded.map((e) => e.id)).toEqual(data?.data.map((d) => d.id));
  });

  it('also accepts a single email on POST /emails', async () => {
    const { stub, resend } = await setup();
    const { data } = await resend.emails.send(mail('one@example.org'));
    expect(stub.emails().map((e) => e.id)).toEqual([data?.id]);
  });

  it('refuses a batch of 101 with 422 validation_error and records nothing', async () => {
    const { stub, resend } = await setup();
    const { error } = await resend.batch.send(batch(101));
    expect(error).toMatchObject({ statusCode: 422, name: 'validation_error' });
    expect(stub.emails()).toHaveLength(0);
  });

  it('answers 401 missing_api_key without a key and 403 invalid_api_key with a wrong one', async () => {
    const { stub } = await setup();
    const missing = await fetch(`${stub.url}/emails`, {
      method: 'POST',
      body: JSON.stringify(mail('a@example.org')),
    });
    expect(missing.status).toBe(401);
    const body = (await missing.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['message', 'name', 'statusCode']);
    expect(body).toMatchObject({ statusCode: 401, name: 'missing_api_key' });
    const { error } = await new Resend('re_wrong', { baseUrl: stub.url }).batch.send(batch(1));
    expect(error).toMatchObject({ statusCode: 403, name: 'invalid_api_key' });
  });

  it('replays the same ids for the same key and body, recording nothing new', async () => {
    const { stub, resend } = await setup();
    const first = await resend.batch.send(batch(5), { idempotencyKey: 'nyhetsbrev/c1/0' });
    const again = await resend.batch.send(batch(5), { idempotencyKey: 'nyhetsbrev/c1/0' });
    expect(again.data?.data).toEqual(first.data?.data);
    expect(stub.emails()).toHaveLength(5);
  });

  it('forgets a key after its time to live and then sends again', async () => {
    const clock = fakeClock();
    const { stub, resend } = await setup({ idempotencyTtlMs: 50, clock });
    const first = await resend.batch.send(batch(1), { idempotencyKey: 'k' });
    await clock.advance(49);
    expect((await resend.batch.send(batch(1), { idempotencyKey: 'k' })).data).toEqual(first.data);
    await clock.advance(1);
    const later = await resend.batch.send(batch(1), { idempotencyKey: 'k' });
    expect(later.data?.data).not.toEqual(first.data?.data);
    expect(stub.emails()).toHaveLength(2);
  });

  it('answers 409 invalid_idempotent_request when the body under a key changed', async () => {
    const { stub, resend } = await setup();
    await resend.batch.send(batch(2), { idempotencyKey: 'k' });
    const { error } = await resend.batch.send(batch(2, 'other'), { idempotencyKey: 'k' });
    expect(error).toMatchObject({ statusCode: 409, name: 'invalid_idempotent_request' });
    expect(stub.emails()).toHaveLength(2);
  });

  it('answers 409 concurrent_idempotent_requests while the first request with the key runs', async () => {
    // The first request is held until the second has its answer.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { stub, resend } = await setup({ hold: () => held });
    const first = resend.batch.send(batch(2), { idempotencyKey: 'k' });
    await vi.waitUntil(() => stub.requests().length === 1);
    const second = await resend.batch.send(batch(2), { idempotencyKey: 'k' });
    release();
    expect((await first).error).toBeNull();
    expect(second.error?.name).toBe('concurrent_idempotent_requests');
    expect(stub.emails()).toHaveLength(2);
  });

  it('sends ratelimit-* headers and 429 rate_limit_exceeded with retry-after past the limit', async () => {
    // The stub's time stands still: all four arrive within one window, however slow the machine.
    const { stub, resend } = await setup({ rateLimit: 3, clock: fakeClock() });
    const replies = await Promise.all([1, 2, 3, 4].map((i) => resend.batch.send(batch(1, `r${i}-`))));
    expect(replies[0]?.headers).toMatchObject({ 'ratelimit-limit': '3', 'ratelimit-reset': '1' });
    expect(replies.map((r) => r.headers?.['ratelimit-remaining']).sort()).toEqual(['0', '0', '1', '2']);
    const limited = replies.filter((r) => r.error);
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({
      error: { statusCode: 429, name: 'rate_limit_exceeded' },
      headers: { 'retry-after': '1' },
    });
    expect(stub.emails()).toHaveLength(3);
  });

  it('reports daily and monthly quota errors as 429 with their names', async () => {
    const { stub, resend } = await setup({ quota: { daily: 3 } });
    expect((await resend.batch.send(batch(3))).error).toBeNull();
    expect((await resend.batch.send(batch(1, 'more'))).error).toMatchObject({
      statusCode: 429,
      name: 'daily_quota_exceeded',
    });
    stub.setFaults({ script: ['monthlyQuota'] });
    expect((await resend.batch.send(batch(1))).error).toMatchObject({
      statusCode: 429,
      name: 'monthly_quota_exceeded',
    });
  });

  it('in permissive mode sends the valid emails and lists the invalid ones by index', async () => {
    const { stub, resend } = await setup();
    const emails = batch(100);
    emails[42] = mail('not-an-address');
    const { data } = await resend.batch.send(emails, { batchValidation: 'permissive' });
    expect(data?.data).toHaveLength(99);
    expect(data?.errors.map((e) => e.index)).toEqual([42]);
    expect(data?.errors[0]?.message).toContain('Invalid `to` field');
    expect(stub.emails()).toHaveLength(99);
  });

  it('in strict mode (the default) refuses the whole batch for one invalid email', async () => {
    const { stub, resend } = await setup();
    const { error } = await resend.batch.send([mail('ok@example.org'), mail('nope')]);
    expect(error).toMatchObject({ statusCode: 422, name: 'validation_error' });
    expect(stub.emails()).toHaveLength(0);
  });

  it('injects a JSON 500, an HTML 502, a hang and a dropped connection', async () => {
    const { stub, resend } = await setup();
    stub.setFaults({ script: ['error500', 'html502', 'hang', 'drop'] });
    const send = (signal?: AbortSignal) =>
      resend.batch.send(batch(1), { idempotencyKey: 'k', ...(signal ? { signal } : {}) });
    expect((await send()).error).toMatchObject({ statusCode: 500, name: 'application_error' });
    // The SDK cannot parse HTML and reports it as application_error with the real status.
    expect((await send()).error).toMatchObject({ statusCode: 502, name: 'application_error' });
    const hung = new AbortController();
    const hanging = send(hung.signal);
    await vi.waitUntil(() => stub.requests().length === 3); // the stub has it and will not answer
    hung.abort();
    expect((await hanging).error).toMatchObject({ statusCode: null }); // hang: aborted by the caller
    expect((await send()).error).toMatchObject({ statusCode: null }); // drop: socket destroyed
    expect(stub.emails()).toHaveLength(1); // the dropped request was processed
    const replay = await send();
    expect(replay.data?.data.map((d) => d.id)).toEqual(stub.emails().map((e) => e.id));
    expect(stub.requests().map((r) => r.status)).toEqual([500, 502, 'hang', 'drop', 200]);
  });

  it('drops the answer to a replayed idempotent request too, and sends nothing again', async () => {
    const { stub, resend } = await setup();
    const send = () => resend.batch.send(batch(2), { idempotencyKey: 'r' });
    const first = await send();
    stub.setFaults({ script: ['drop'] });
    expect((await send()).error).toMatchObject({ statusCode: null });
    const replay = await send();
    expect(replay.data?.data).toEqual(first.data?.data);
    expect(stub.emails()).toHaveLength(2);
    expect(stub.requests().map((r) => r.status)).toEqual([200, 'drop', 200]);
  });

  it('injects faults by probability with a seed', async () => {
    const { stub, resend } = await setup({ rateLimit: 1000, faults: { rates: { error500: 0.5 } }, seed: 7 });
    for (let i = 0; i < 40; i++) await resend.batch.send(batch(1, `s${i}-`));
    const failed = stub.requests().filter((r) => r.status === 500).length;
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(35);
    expect(stub.emails()).toHaveLength(40 - failed);
  });

  it('runs in another process and is queried over HTTP', async () => {
    const child = await spawnResendStub(['--rate-limit', '50', '--api-key', 're_child']);
    try {
      const resend = new Resend('re_child', { baseUrl: child.url });
      await resend.batch.send(batch(3), { idempotencyKey: 'x' });
      await resend.batch.send(batch(3), { idempotencyKey: 'x' });
      const counts = deliveriesPerRecipient(await child.emails());
      expect([...counts.values()]).toEqual([1, 1, 1]);
      expect(await child.requests()).toHaveLength(2);
      await child.reset();
      expect(await child.emails()).toEqual([]);
    } finally {
      await child.stop();
    }
  });
});
