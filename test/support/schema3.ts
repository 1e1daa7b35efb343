import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/audience/migrations.ts';

/**
 * A database as releases before schema 4 left it: migrations 1–3 only (a shipped step never
 * changes, so these are the very statements those releases ran). The caller closes it.
 */
export function schema3Database(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  MIGRATIONS.slice(0, 3).forEach((step, index) => {
    db.exec(step.up);
    db.pragma(`user_version = ${index + 1}`);
  });
  return db;
}

/**
 * The case of issue 14, as a schema-3 database holds it. Anna (1) and Bo (2) subscribed in early
 * January; Dan (3) in mid-January. Campaigns 2026-01 and 2026-02 went to all three, with id-only
 * unsubscribe links. Dan was forgotten on 10 February (his deliveries scrubbed, his address kept as
 * a hash), and Eva, subscribing on 1 March, got his id 3 — so Dan's old link names Eva. Then Cilla
 * (4) subscribed, and Fia (5) filled in the web form and has not confirmed yet.
 */
export function seedIdReuse(db: Database.Database): void {
  const subscriber = db.prepare(
    `INSERT INTO subscribers (id, email, email_key, name, status, consent_at, consent_source, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const at = (day: string) => `${day}T09:00:00.000Z`;
  for (const [id, name, status, day] of [
    [1, 'Anna', 'active', '2026-01-05'],
    [2, 'Bo', 'active', '2026-01-10'],
    [3, 'Eva', 'active', '2026-03-01'],
    [4, 'Cilla', 'active', '2026-03-02'],
    [5, null, 'pending', '2026-03-03'],
  ] as const) {
    const email = `${(name ?? 'fia').toLowerCase()}@example.org`;
    const consentAt = status === 'active' ? at(day) : null;
    subscriber.run(
      id,
      email,
      email,
      name,
      status,
      consentAt,
      status === 'active' ? 'cli:add' : 'web',
      at(day),
      at(day),
    );
    if (status === 'active') {
      db.prepare("INSERT INTO memberships VALUES (?, 'nyhetsbrev', 'cli:add', ?)").run(id, at(day));
    }
  }
  db.prepare(
    `INSERT INTO confirmations VALUES ('${'ab'.repeat(32)}', 5, '["nyhetsbrev","tillganglighet"]', 'Fia Formulär', 'samtycke-2026-01', ?, ?, NULL)`,
  ).run(at('2026-03-03'), at('2026-03-10'));
  db.prepare(`INSERT INTO suppressions VALUES ('${'cd'.repeat(32)}', 'forgotten', ?)`).run(at('2026-02-10'));
  const campaign = db.prepare(
    "INSERT INTO campaigns (id, issue_id, subject, lists, status, created_at, frozen_at, ref) VALUES (?, ?, 'Nytt', '[\"nyhetsbrev\"]', 'complete', ?, ?, ?)",
  );
  const delivery = db.prepare(
    "INSERT INTO deliveries (campaign_id, position, subscriber_id, email, name, chunk, status, updated_at) VALUES (?, ?, ?, ?, ?, 1, 'sent', ?)",
  );
  for (const [id, day] of [
    [1, '2026-01-20'],
    [2, '2026-02-01'],
  ] as const) {
    campaign.run(id, day.slice(0, 7), at(day), at(day), `c${id}-0000000${id}`);
    delivery.run(id, 1, 1, 'anna@example.org', 'Anna', at(day));
    delivery.run(id, 2, 2, 'bo@example.org', 'Bo', at(day));
    delivery.run(id, 3, null, null, null, at('2026-02-10')); // Dan's, scrubbed by forget
  }
}
