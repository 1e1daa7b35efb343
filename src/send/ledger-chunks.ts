/**
 * Chunk and delivery state transitions of the ledger (the state machines are drawn in ledger.ts).
 * Every function that changes more than one row runs in one transaction, so a crash leaves either
 * the state before or the state after, never a mix.
 */
import type { Store } from '../audience/index.ts';
import type { TransportName } from './types.ts';
import type { Campaign } from './ledger.ts';
import { idempotencyKey } from './ledger.ts';
import { chunksIn } from './ledger-rows.ts';

// Tests read chunks through this module.
export { chunksIn } from './ledger-rows.ts';

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
  store.transaction(() => {
    writeResults(store.db, campaignId, results, now);
    writeEnd(store.db, campaignId, chunk, end, now);
  });
}

function writeResults(db: Store['db'], campaignId: number, results: readonly RowResult[], now: string): void {
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
}

/** The chunk's status after an attempt, and that of its rows still `sending`. */
function writeEnd(db: Store['db'], campaignId: number, chunk: number, end: ChunkEnd, now: string): void {
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
