import { describe, expect, it } from 'vitest';
import { openStore, purgeRetained, type Store } from '../../src/audience/index.ts';
import { startTestServer } from '../serve/helpers.ts';
import { testConfig } from '../support/spine.ts';
import { tempStore } from './helpers.ts';

const NOW = new Date('2026-11-20T09:00:00Z');

/** One campaign with a delivery, a webhook event and a bounce report at each of the given times. */
function seedAt(store: Store, times: string[]): void {
  store.db
    .prepare(
      `INSERT INTO campaigns (id, issue_id, subject, lists, status, created_at) VALUES (1, '2024-01', 'Ämne', '[]', 'complete', ?)`,
    )
    .run(times[0]);
  times.forEach((at, position) => {
    store.db
      .prepare(
        `INSERT INTO deliveries (campaign_id, position, email, chunk, status, provider_event, updated_at)
         VALUES (1, ?, ?, 1, 'sent', 'delivered', ?)`,
      )
      .run(position, `person${position}@example.org`, at);
    store.db
      .prepare("INSERT INTO webhook_messages (provider, message_id, received_at) VALUES ('resend', ?, ?)")
      .run(`msg_${position}`, at);
    store.db
      .prepare("INSERT INTO bounce_reports (report_key, kind, processed_at) VALUES (?, 'hard', ?)")
      .run(`r${position}`, at);
    store.db
      .prepare(
        "INSERT INTO bounce_events (report_key, email_hash, kind, campaign_id, position, occurred_at) VALUES (?, 'h', 'hard', 1, ?, ?)",
      )
      .run(`r${position}`, position, at);
  });
  store.suppress('person0@example.org', 'bounced');
}

const count = (store: Store, table: string) =>
  store.db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get();

describe('retention', () => {
  const times = ['2024-11-19T09:00:00.000Z', '2024-11-21T09:00:00.000Z', '2026-11-01T09:00:00.000Z'];

  it('deletes delivery rows, webhook events and bounce reports older than 24 months; keeps campaigns and suppressions', () => {
    const store = tempStore();
    seedAt(store, times);
    const purged = purgeRetained(store, testConfig(), NOW);
    expect(purged).toEqual({
      before: '2024-11-20T09:00:00.000Z',
      deliveries: 1,
      webhookEvents: 1,
      bounceReports: 1,
    });
    expect(store.db.prepare('SELECT position FROM deliveries ORDER BY 1').pluck().all()).toEqual([1, 2]);
    expect(count(store, 'webhook_messages')).toBe(2);
    expect(count(store, 'bounce_events')).toBe(2); // the purged report's event went with it
    expect(count(store, 'campaigns')).toBe(1);
    expect(store.suppression('person0@example.org')?.reason).toBe('bounced');
    // A second purge finds nothing more.
    expect(purgeRetained(store, testConfig(), NOW)).toMatchObject({
      deliveries: 0,
      webhookEvents: 0,
      bounceReports: 0,
    });
  });

  it('follows retention.months, but keeps bounce reports the soft-bounce window still counts', () => {
    const store = tempStore();
    seedAt(store, ['2026-08-01T09:00:00.000Z', '2026-10-01T09:00:00.000Z', '2026-11-19T09:00:00.000Z']);
    const config = testConfig('retention:\n  months: 1\nbounces:\n  softWindowDays: 60\n');
    expect(purgeRetained(store, config, NOW)).toEqual({
      before: '2026-10-20T09:00:00.000Z',
      deliveries: 2,
      webhookEvents: 2,
      // 2026-10-01 is past the month but within the 60-day window: kept.
      bounceReports: 1,
    });
  });

  it('is done by serve before it listens (and then hourly)', async () => {
    const server = await startTestServer({
      clock: () => NOW,
      seed: (database) => {
        const store = openStore(database, { env: {} });
        seedAt(store, times);
        store.db.exec('DELETE FROM suppressions');
        store.close();
      },
    });
    try {
      expect(count(server.deps.store, 'deliveries')).toBe(2);
      expect(count(server.deps.store, 'webhook_messages')).toBe(2);
      expect(
        server.logs.some((line) =>
          line.includes('1 delivery row(s), 1 webhook event(s), 1 bounce report(s) past retention'),
        ),
      ).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
