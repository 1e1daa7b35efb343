/**
 * Chunk and delivery state transitions of the ledger (the state machines are drawn in ledger.ts).
 * Every function that changes more than one row runs in one transaction, so a crash leaves either
 * the state before or the state after, never a mix.
 */
import type { Store } from '../audience/index.ts';
import type { TransportName } from './types.ts';
import type { Campaign } from './ledger.ts';
import { idempotencyKey } from './ledger.ts';

/** Status of one chunk row. */
export type ChunkStatus = 'pending' | 'started' | 'done' | 'uncertain';

/** One chunk as the deliver loop sees it. */
export interface ChunkState {
  chunk: number;
  idempotencyKey: string;
  status: ChunkStatus;
  payloadSha256: string | null;
  /** When the first attempt under the current key started (the provider's 24 h window starts then). */
  startedAt: string | null;
  transport: TransportName | null;
  attempts: number;
  error: string | null;
}

/** A delivery row to send (or to decide about). */
export interface DeliveryTarget {
  position: number;
  subscriberId: number | null;
  email: string | null;
  name: string | null;
}

/** A queued row with what the skip check needs: the subscriber as they are now. */
export interface QueuedRow extends DeliveryTarget {
  subscriberStatus: string | null;
  emailKey: string | null;
  /** 1 when still a member of one of the campaign's lists. */
  member: number;
}

/** The definite outcome of one row, by position. */
export type RowResult =
  | { position: number; status: 'sent'; providerId: string }
  | { position: number; status: 'failed' | 'uncertain'; reason: string };

/** How a chunk attempt ended, for {@link finishChunk}. */
export type ChunkEnd =
  | { kind: 'done' }
  /** Outcome unknown but retryable with the same key: stays `started`. */
  | { kind: 'unknown'; reason: string }
  /** Certainly not delivered: rows back to `queued`, the chunk back to `pending`. */
  | { kind: 'refused'; reason: string }
  | { kind: 'uncertain'; reason: string };

/** Chunks of the campaign with one of the statuses, in order. */
export function chunksIn(store: Store, campaignId: number, statuses: readonly ChunkStatus[]): ChunkState[] {
  return store.db
    .prepare<[number, string], ChunkState>(
      `SELECT chunk, idempotency_key AS idempotencyKey, status, payload_sha256 AS payloadSha256,
         started_at AS startedAt, transport, attempts, error
       FROM chunks WHERE campaign_id = ? AND status IN (SELECT value FROM json_each(?)) ORDER BY chunk`,
    )
    .all(campaignId, JSON.stringify(statuses));
}

/**
 * Queued rows of a chunk, joined with their subscriber's current state.
 *
 * The statements that find a chunk's rows name `deliveries_by_chunk`: without statistics SQLite
 * prefers the campaign's primary key and reads every delivery of the campaign for each chunk
 * (10–20 ms per chunk at 100,000 recipients, against 0.5 ms).
 */
export function queuedRows(store: Store, campaign: Campaign, chunk: number): QueuedRow[] {
  return store.db
    .prepare<[string, number, number], QueuedRow>(
      `SELECT d.position, d.subscriber_id AS subscriberId, d.email, d.name,
         s.status AS subscriberStatus, s.email_key AS emailKey,
         EXISTS (SELECT 1 FROM memberships m WHERE m.subscriber_id = d.subscriber_id
                   AND m.list_id IN (SELECT value FROM json_each(?))) AS member
       FROM deliveries d INDEXED BY deliveries_by_chunk LEFT JOIN subscribers s ON s.id = d.subscriber_id
       WHERE d.campaign_id = ? AND d.chunk = ? AND d.status = 'queued' ORDER BY d.position`,
    )
    .all(JSON.stringify(campaign.lists), campaign.id, chunk);
}

/** Rows of a chunk in `sending`: those handed to the transport whose outcome is not recorded. */
export function sendingRows(store: Store, campaignId: number, chunk: number): DeliveryTarget[] {
  return store.db
    .prepare<[number, number], DeliveryTarget>(
      `SELECT position, subscriber_id AS subscriberId, email, name FROM deliveries INDEXED BY deliveries_by_chunk
       WHERE campaign_id = ? AND chunk = ? AND status = 'sending' ORDER BY position`,
    )
    .all(campaignId, chunk);
}

/** Marks rows `skipped` with their reasons (only rows still queued or uncertain). */
export function skipRows(
  store: Store,
  campaignId: number,
  rows: readonly { position: number; reason: string }[],
): void {
  if (rows.length === 0) return;
  const update = store.db.prepare(
    `UPDATE deliveries SET status = 'skipped', error = ?, updated_at = ?
     WHERE campaign_id = ? AND position = ? AND status IN ('queued', 'uncertain')`,
  );
  store.transaction(() => {
    for (const row of rows) update.run(row.reason, store.now(), campaignId, row.position);
  });
}

/** Closes a chunk with nothing left to send (every row skipped or final). */
export function closeChunk(store: Store, campaignId: number, chunk: number): void {
  store.db
    .prepare(
      `UPDATE chunks SET status = 'done', finished_at = ?, error = NULL WHERE campaign_id = ? AND chunk = ?`,
    )
    .run(store.now(), campaignId, chunk);
}

/**
 * Written before the first call of a chunk, in one transaction: the rows become `sending`, the chunk
 * `started` with the payload's hash and transport; `started_at` is kept if it was set (the key's
 * 24 h window runs from its first use).
 */
export function startChunk(
  store: Store,
  input: {
    campaignId: number;
    chunk: number;
    positions: readonly number[];
    payloadSha256: string;
    transport: TransportName;
  },
): void {
  const now = store.now();
  store.transaction(() => {
    store.db
      .prepare(
        `UPDATE chunks SET status = 'started', payload_sha256 = ?, transport = ?, started_at = coalesce(started_at, ?),
           attempts = attempts + 1, error = NULL WHERE campaign_id = ? AND chunk = ?`,
      )
      .run(input.payloadSha256, input.transport, now, input.campaignId, input.chunk);
    const row = store.db.prepare(
      `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, started_at = coalesce(started_at, ?), updated_at = ?
       WHERE campaign_id = ? AND position = ? AND status = 'queued'`,
    );
    for (const position of input.positions) row.run(now, now, input.campaignId, position);
  });
}

/** Written before every further attempt of a started chunk (a retry, or a resume with the same key). */
export function noteAttempt(store: Store, campaignId: number, chunk: number, transport: TransportName): void {
  const now = store.now();
  store.transaction(() => {
    store.db
      .prepare('UPDATE chunks SET attempts = attempts + 1, transport = ? WHERE campaign_id = ? AND chunk = ?')
      .run(transport, campaignId, chunk);
    store.db
      .prepare(
        `UPDATE deliveries INDEXED BY deliveries_by_chunk SET attempts = attempts + 1, updated_at = ?
         WHERE campaign_id = ? AND chunk = ? AND status = 'sending'`,
      )
      .run(now, campaignId, chunk);
  });
}

/** Records the results of a chunk attempt and where the chunk stands, in one transaction. */
export function finishChunk(
  store: Store,
  campaignId: number,
  chunk: number,
  results: readonly RowResult[],
  end: ChunkEnd,
): void {
  const now = store.now();
  const db = store.db;
  store.transaction(() => {
    const sent = db.prepare(
      `UPDATE deliveries SET status = 'sent', provider_id = ?, error = NULL, updated_at = ?
       WHERE campaign_id = ? AND position = ? AND status = 'sending'`,
    );
    const other = db.prepare(
      `UPDATE deliveries SET status = ?, error = ?, updated_at = ? WHERE campaign_id = ? AND position = ? AND status = 'sending'`,
    );
    for (const r of results) {
      if (r.status === 'sent') sent.run(r.providerId, now, campaignId, r.position);
      else other.run(r.status, r.reason, now, campaignId, r.position);
    }
    const rest = (status: string, error: string | null): void => {
      db.prepare(
        `UPDATE deliveries INDEXED BY deliveries_by_chunk SET status = ?, error = ?, updated_at = ?
         WHERE campaign_id = ? AND chunk = ? AND status = 'sending'`,
      ).run(status, error, now, campaignId, chunk);
    };
    const setChunk = db.prepare(
      `UPDATE chunks SET status = @status, error = @error, finished_at = @finished,
         payload_sha256 = CASE WHEN @clear THEN NULL ELSE payload_sha256 END,
         started_at = CASE WHEN @clear THEN NULL ELSE started_at END
       WHERE campaign_id = @campaignId AND chunk = @chunk`,
    );
    const base = { campaignId, chunk, finished: null as string | null, clear: 0 };
    switch (end.kind) {
      case 'done':
        setChunk.run({ ...base, status: 'done', error: null, finished: now });
        break;
      case 'unknown':
        setChunk.run({ ...base, status: 'started', error: end.reason });
        break;
      case 'refused':
        rest('queued', null);
        setChunk.run({ ...base, status: 'pending', error: end.reason, clear: 1 });
        break;
      case 'uncertain':
        rest('uncertain', end.reason);
        setChunk.run({ ...base, status: 'uncertain', error: end.reason });
        break;
    }
  });
}

/**
 * Applies `--uncertain`: `skip` closes every uncertain row as skipped; `resend` queues them again
 * under a new idempotency key per chunk (the old key may have delivered them: a deliberate risk of
 * a duplicate). Returns the number of rows changed.
 */
export function resolveUncertain(store: Store, campaign: Campaign, choice: 'skip' | 'resend'): number {
  const now = store.now();
  return store.transaction(() => {
    const chunks = chunksIn(store, campaign.id, ['uncertain']);
    const rows = store.db
      .prepare(
        `UPDATE deliveries SET status = ?, error = ?, updated_at = ? WHERE campaign_id = ? AND status = 'uncertain'`,
      )
      .run(
        choice === 'skip' ? 'skipped' : 'queued',
        choice === 'skip' ? 'outcome unknown; not sent again (--uncertain=skip)' : null,
        now,
        campaign.id,
      ).changes;
    for (const chunk of chunks) {
      if (choice === 'skip') {
        closeChunk(store, campaign.id, chunk.chunk);
        continue;
      }
      const generation = Number(/\/r(\d+)$/.exec(chunk.idempotencyKey)?.[1] ?? 1) + 1;
      store.db
        .prepare(
          `UPDATE chunks SET status = 'pending', idempotency_key = ?, payload_sha256 = NULL, started_at = NULL, error = NULL
           WHERE campaign_id = ? AND chunk = ?`,
        )
        .run(idempotencyKey(campaign.ref, chunk.chunk, generation), campaign.id, chunk.chunk);
    }
    return rows;
  });
}
