/**
 * The campaign ledger: what was frozen, and what happened to every recipient and chunk. All SQL of
 * the sender lives here and in ledger-rows.ts (reads), ledger-chunks.ts (transitions) and
 * ledger-messages.ts (per message) (schema: src/audience/migrations.ts).
 *
 * A delivery row (one per recipient, frozen in send order) moves through:
 *
 *   queued ──start──▶ sending ──result──▶ sent | failed
 *     │                 │  └──refused (quota/auth/rejected, certainly not delivered)──▶ queued
 *     └─▶ skipped       └──outcome unknown and not safely retryable──▶ uncertain
 *         (unsubscribed, forgotten or removed since the freeze)       ├─ --uncertain=skip ──▶ skipped
 *                                                                     └─ --uncertain=resend ─▶ queued
 *
 * A chunk row (≤ 100 deliveries, one provider call) moves through:
 *
 *   pending ──start (payload hash, started_at)──▶ started ──all results──▶ done
 *      ▲                                            │ ├─ refused ──▶ pending (payload cleared)
 *      └── --uncertain=resend (new idempotency key) │ └─ crash / retries exhausted: stays started,
 *                                                   ▼    retried with the same key on resume
 *                                               uncertain ── --uncertain=skip ──▶ done
 *
 * `sent`, `failed` and `skipped` are final; a campaign is `complete` when every row is final.
 * Over SMTP a row is `sending` only while its own message is, and a chunk is just a batch whose
 * status follows from its rows (ledger-messages.ts).
 */
import { randomBytes } from 'node:crypto';
import { audienceQuery, type Store } from '../audience/index.ts';
import type { CampaignRow, DeliveryRow, Recipient } from '../audience/types.ts';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';

/** Status of one delivery row. */
export type DeliveryStatus = DeliveryRow['status'];

/** Every delivery status, in summary order. */
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'sent',
  'failed',
  'skipped',
  'uncertain',
  'sending',
  'queued',
];

/**
 * The skip reason of a row whose person was erased (`subscribers forget`) after the freeze. The
 * erasure itself turns queued rows `skipped` and clears their address and error, which is how
 * such rows are recognised in summaries.
 */
export const FORGOTTEN = 'forgotten (erased on request) since the send started';

/** Rows per status of a campaign. */
export type DeliveryCounts = Record<DeliveryStatus, number> & { total: number };

/** A campaign as the sender uses it. */
export interface Campaign {
  id: number;
  /** `c<id>-<nonce>`: names the campaign in idempotency keys, Message-IDs and tags. */
  ref: string;
  issueId: string;
  subject: string;
  lists: string[];
  status: CampaignRow['status'];
  createdAt: string;
  frozenAt: string | null;
  /** SHA-256 of the rendered issue when the audience was frozen. */
  contentSha256: string | null;
}

/** What {@link freezeCampaign} writes. */
export interface FreezeInput {
  issueId: string;
  subject: string;
  lists: readonly string[];
  contentSha256: string;
  /**
   * The recipients in send order. Default: the audience of `lists` as the database has it inside
   * the freeze's transaction, copied by SQLite (a send of 100,000 holds no object per recipient).
   */
  recipients?: readonly Recipient[];
  chunkSize: number;
  /**
   * How many recipients the user confirmed: a freeze that finds another number (people joined or
   * left while the prompt waited) is undone and refused with `SendAudienceChanged`.
   */
  confirmed?: number;
}

type CampaignRecord = CampaignRow & { ref: string | null; content_sha256: string | null };

/** The campaign of an issue, if one was ever started. */
export function findCampaign(store: Store, issueId: string): Campaign | undefined {
  const row = store.db
    .prepare<[string], CampaignRecord>('SELECT * FROM campaigns WHERE issue_id = ?')
    .get(issueId);
  return row && toCampaign(row);
}

/**
 * Freezes the audience: the campaign row, one `queued` delivery per recipient (positions from 1, in
 * the given order) and one `pending` chunk per `chunkSize` positions, in one transaction. Another
 * process that froze the same issue first wins; its campaign is returned instead.
 */
export function freezeCampaign(store: Store, input: FreezeInput): Campaign {
  return store.transaction(() => {
    const existing = findCampaign(store, input.issueId);
    if (existing) return existing;
    const now = store.now();
    const { lastInsertRowid } = store.db
      .prepare(
        `INSERT INTO campaigns (issue_id, subject, lists, status, created_at, frozen_at, content_sha256)
         VALUES (?, ?, ?, 'sending', ?, ?, ?)`,
      )
      .run(input.issueId, input.subject, JSON.stringify(input.lists), now, now, input.contentSha256);
    const id = Number(lastInsertRowid);
    // The nonce keeps Message-IDs and idempotency keys unique if the database is ever recreated.
    const ref = `c${id}-${randomBytes(4).toString('hex')}`;
    store.db.prepare('UPDATE campaigns SET ref = ? WHERE id = ?').run(ref, id);
    const frozen = input.recipients
      ? insertRecipients(store, id, input.recipients, input.chunkSize, now)
      : insertAudience(store, id, input.lists, input.chunkSize, now);
    if (input.confirmed !== undefined && frozen !== input.confirmed) {
      throw new UserError(E.SendAudienceChanged, {
        id: input.issueId,
        confirmed: input.confirmed,
        now: frozen,
      });
    }
    const chunks = Math.ceil(frozen / input.chunkSize);
    const chunk = store.db.prepare(
      `INSERT INTO chunks (campaign_id, chunk, idempotency_key, status) VALUES (?, ?, ?, 'pending')`,
    );
    for (let n = 1; n <= chunks; n++) chunk.run(id, n, idempotencyKey(ref, n));
    return findCampaign(store, input.issueId)!;
  });
}

/** Queued rows for `recipients` in the given order; returns how many. */
function insertRecipients(
  store: Store,
  campaignId: number,
  recipients: readonly Recipient[],
  chunkSize: number,
  now: string,
): number {
  const insert = store.db.prepare(
    `INSERT INTO deliveries (campaign_id, position, subscriber_id, email, name, chunk, status, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)`,
  );
  recipients.forEach((r, index) => {
    const position = index + 1;
    insert.run(campaignId, position, r.subscriberId, r.email, r.name, chunkOf(position, chunkSize), now);
  });
  return recipients.length;
}

/** Queued rows for the audience of `lists`, numbered in its order as {@link chunkOf} would; returns how many. */
function insertAudience(
  store: Store,
  campaignId: number,
  lists: readonly string[],
  chunkSize: number,
  now: string,
): number {
  const audience = audienceQuery(store, lists);
  // Numbers are bound as REAL: the cast keeps the chunk's division an integer one.
  const { changes } = store.db
    .prepare(
      `INSERT INTO deliveries (campaign_id, position, subscriber_id, email, name, chunk, status, updated_at)
       SELECT @campaignId, position, subscriberId, email, name, (position - 1) / CAST(@chunkSize AS INTEGER) + 1, 'queued', @now
       FROM (SELECT row_number() OVER (ORDER BY emailKey) AS position, * FROM (${audience.sql}))`,
    )
    .run({ ...audience.params, campaignId, chunkSize, now });
  return changes;
}

/** Chunk number (from 1) of a position (from 1). */
export function chunkOf(position: number, chunkSize: number): number {
  return Math.floor((position - 1) / chunkSize) + 1;
}

/** `nyhetsbrev/<campaign ref>/<chunk>`, plus `/r<n>` for the n-th deliberate resend of a chunk. */
export function idempotencyKey(ref: string, chunk: number, generation = 1): string {
  return `nyhetsbrev/${ref}/${chunk}${generation > 1 ? `/r${generation}` : ''}`;
}

/** Sets the campaign's status (`sending` while a run works on it). */
export function setCampaignStatus(store: Store, id: number, status: Campaign['status']): void {
  store.db.prepare('UPDATE campaigns SET status = ? WHERE id = ?').run(status, id);
}

/** Rows per status. */
export function deliveryCounts(store: Store, campaignId: number): DeliveryCounts {
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as DeliveryCounts;
  counts.total = 0;
  const rows = store.db
    .prepare<[number], { status: DeliveryStatus; n: number }>(
      'SELECT status, count(*) AS n FROM deliveries WHERE campaign_id = ? GROUP BY status',
    )
    .all(campaignId);
  for (const { status, n } of rows) {
    counts[status] = n;
    counts.total += n;
  }
  return counts;
}

/** A frozen recipient with its status and current lists (for plans of a resumed campaign). */
export interface FrozenRecipient {
  position: number;
  email: string | null;
  status: DeliveryStatus;
  lists: string[];
}

/** Every frozen row in position order, with the subscriber's current memberships of the campaign's lists. */
export function frozenRecipients(store: Store, campaign: Campaign): FrozenRecipient[] {
  const rows = store.db
    .prepare<
      [string, number],
      { position: number; email: string | null; status: DeliveryStatus; lists: string }
    >(
      `SELECT d.position, d.email, d.status,
         (SELECT json_group_array(list_id) FROM (SELECT list_id FROM memberships m
            WHERE m.subscriber_id = d.subscriber_id AND m.list_id IN (SELECT value FROM json_each(?))
            ORDER BY list_id)) AS lists
       FROM deliveries d WHERE d.campaign_id = ? ORDER BY d.position`,
    )
    .all(JSON.stringify(campaign.lists), campaign.id);
  return rows.map((row) => ({ ...row, lists: JSON.parse(row.lists) as string[] }));
}

/** Rows with `status` (failed or uncertain ones, for the summary) with their reasons, in send order. */
export function rowsWith(
  store: Store,
  campaignId: number,
  status: DeliveryStatus,
): { email: string | null; error: string | null }[] {
  return store.db
    .prepare<[number, string], { email: string | null; error: string | null }>(
      `SELECT email, error FROM deliveries WHERE campaign_id = ? AND status = ? ORDER BY position`,
    )
    .all(campaignId, status);
}

/** Number of rows per reason among skipped or uncertain rows. */
export function reasons(
  store: Store,
  campaignId: number,
  status: DeliveryStatus,
): { error: string; n: number }[] {
  return store.db
    .prepare<[string, number, string], { error: string; n: number }>(
      `SELECT coalesce(error, CASE WHEN email IS NULL THEN ? ELSE 'no reason recorded' END) AS error, count(*) AS n
       FROM deliveries WHERE campaign_id = ? AND status = ? GROUP BY 1 ORDER BY n DESC, 1`,
    )
    .all(FORGOTTEN, campaignId, status);
}

/** When the last email of the campaign was sent (for "already sent … on DATE"). */
export function lastSentAt(store: Store, campaignId: number): string | undefined {
  return (
    store.db
      .prepare<[number], string | null>(
        `SELECT max(updated_at) FROM deliveries WHERE campaign_id = ? AND status = 'sent'`,
      )
      .pluck()
      .get(campaignId) ?? undefined
  );
}

function toCampaign(row: CampaignRecord): Campaign {
  return {
    id: row.id,
    ref: row.ref ?? `c${row.id}`,
    issueId: row.issue_id,
    subject: row.subject,
    lists: JSON.parse(row.lists) as string[],
    status: row.status,
    createdAt: row.created_at,
    frozenAt: row.frozen_at,
    contentSha256: row.content_sha256,
  };
}
