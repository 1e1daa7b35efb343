import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../src/audience/index.ts';
import { verpAddress } from '../../src/bounces/verp.ts';
import { deliveryMessageId } from '../../src/send/message-id.ts';
import { ROOT } from '../audience/helpers.ts';
import { DOMAIN, SECRET } from './settings.ts';

export { DOMAIN, SECRET, SETTINGS } from './settings.ts';

/** The recipients of the seeded campaigns, in delivery order. */
export const PEOPLE = [
  'anna.andersson@example.com',
  'Erik.Eriksson@example.se',
  'karin@example.org',
  'olof@example.org',
];

export interface Campaign {
  id: number;
  ref: string;
  issueId: string;
}

/** Subscribers {@link PEOPLE} (active, list nyhetsbrev) and `count` sent campaigns to all of them. */
export function seed(store: Store, count = 1): Campaign[] {
  for (const email of PEOPLE) {
    const s = store.insertSubscriber({
      email,
      emailKey: email.toLowerCase(),
      name: null,
      status: 'active',
      consentSource: 'test',
    });
    store.addMembership(s.id, 'nyhetsbrev', 'test');
  }
  const campaigns: Campaign[] = [];
  for (let n = 1; n <= count; n++) {
    const issueId = `2026-${String(n).padStart(2, '0')}`;
    const ref = `c${n}-0a1b2c${n}d`;
    store.db
      .prepare(
        `INSERT INTO campaigns (id, issue_id, subject, lists, status, created_at, frozen_at, ref)
         VALUES (?, ?, 'Nyhetsbrev', '["nyhetsbrev"]', 'complete', ?, ?, ?)`,
      )
      .run(n, issueId, '2026-11-01T08:00:00.000Z', '2026-11-01T08:00:00.000Z', ref);
    PEOPLE.forEach((email, position) => {
      const id = store.findSubscriber(email.toLowerCase())!.id;
      store.db
        .prepare(
          `INSERT INTO deliveries (campaign_id, position, subscriber_id, email, chunk, status, updated_at)
           VALUES (?, ?, ?, ?, 1, 'sent', '2026-11-01T08:00:00.000Z')`,
        )
        .run(n, position, id, email);
    });
    campaigns.push({ id: n, ref, issueId });
  }
  return campaigns;
}

/** A fixture of test/fixtures/bounces with its placeholders filled for one delivery. */
export function fixture(
  name: string,
  campaign: Campaign,
  position: number,
  extra: Record<string, string> = {},
  secret = SECRET,
): Buffer {
  const values: Record<string, string> = {
    VERP: verpAddress(secret, DOMAIN, campaign, position),
    EMAIL: PEOPLE[position]!,
    MESSAGE_ID: deliveryMessageId(SECRET, campaign.ref, position, 'natverket.example.org'),
    DATE: 'Tue,  3 Nov 2026 13:15:01 +0100 (CET)',
    N: `${campaign.id}${position}`,
    ...extra,
  };
  const text = readFileSync(join(ROOT, 'test/fixtures/bounces', name), 'utf8');
  const filled = text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? `{{${key}}}`);
  // Relays write CRLF on the wire; Maildir delivery agents store LF. Keep the files' LF.
  return Buffer.from(filled, 'utf8');
}

/** A Maildir at `dir` with the messages in new/. */
export function maildir(dir: string, messages: Buffer[]): string {
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
  messages.forEach((raw, index) => writeFileSync(join(dir, 'new', `1793690000.M${index}P1.mx`), raw));
  return dir;
}

/** An mbox file (mboxrd: `From ` lines in bodies quoted) holding the messages. */
export function mbox(file: string, messages: Buffer[]): string {
  const body = messages
    .map(
      (raw) =>
        `From MAILER-DAEMON Tue Nov  3 09:15:02 2026\n${raw.toString('utf8').replace(/^(>*From )/gm, '>$1')}\n`,
    )
    .join('');
  writeFileSync(file, body);
  return file;
}

/** Everything the bounce stage writes, to compare before and after. */
export function snapshot(store: Store): unknown {
  // Hashes are keyed per database: name the person instead, so two databases compare.
  const people = new Map(PEOPLE.map((email) => [store.hashEmail(email.toLowerCase()), email]));
  const all = (sql: string) =>
    (store.db.prepare(sql).all() as Record<string, unknown>[]).map((row) =>
      'email_hash' in row
        ? { ...row, email_hash: people.get(row.email_hash as string) ?? row.email_hash }
        : row,
    );
  return {
    subscribers: all('SELECT email_key, status FROM subscribers ORDER BY id'),
    suppressions: all('SELECT email_hash, reason FROM suppressions')
      .map((row) => JSON.stringify(row))
      .sort(),
    events: all(
      'SELECT email_hash, kind, status, campaign_id, position, occurred_at FROM bounce_events ORDER BY id',
    ),
    reports: all('SELECT report_key, kind FROM bounce_reports ORDER BY report_key'),
    deliveries: all('SELECT campaign_id, position, provider_event FROM deliveries ORDER BY 1, 2'),
  };
}

/** The status of a person of {@link PEOPLE}, and whether the address is suppressed. */
export function stateOf(
  store: Store,
  email: string,
): { status: string | undefined; suppressed: string | undefined } {
  const key = email.toLowerCase();
  return { status: store.findSubscriber(key)?.status, suppressed: store.suppression(key)?.reason };
}
