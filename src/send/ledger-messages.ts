/**
 * The ledger of a transport that sends one message per transaction (SMTP): a row is `sending` only
 * while its own message is, and its outcome is written as it comes, so a crash leaves at most the
 * messages in flight in doubt (≤ `maxConnections`), not a whole chunk.
 *
 *   queued ──start──▶ sending ──▶ sent | failed | uncertain (the relay may have it: never resent)
 *     ▲                  │
 *     └──────────────────┘ certainly not delivered (refused connection, 4xx): tried again
 *
 * The chunk is a batch here, its status follows from its rows ({@link settleChunk}).
 */
import type { Store } from '../audience/index.ts';
import type { MessageProgress, RecipientResult } from './types.ts';

/**
 * How long events gather before they are written in one transaction. Each commit syncs to disk
 * (1–5 ms); a few ms let the connections' events share one, about 5 events a commit instead of 2
 * at three connections, for a little latency per message.
 */
const BATCH_MS = 3;

/** {@link MessageProgress} over the ledger, plus `flush` for what is not written yet. */
export interface MessageLedger extends MessageProgress {
  /** Writes what is buffered now; throws the first write failure, if any. */
  flush(): void;
}

/**
 * Per-message writes for one chunk, whose emails are at `positions` (chunk index → position).
 * Events are batched into one transaction every {@link BATCH_MS}; a start's promise resolves once
 * it is written. A message's end is written in the same transaction as or before the start
 * of the next message of its connection, so rows in `sending` never outnumber the connections.
 */
export function messageLedger(store: Store, campaignId: number, positions: readonly number[]): MessageLedger {
  const commit = eventWriter(store, campaignId);
  let starts: Start[] = [];
  let ends: End[] = [];
  let timer: NodeJS.Timeout | undefined;
  let failure: Error | undefined;

  const write = (): void => {
    clearTimeout(timer);
    timer = undefined;
    const [begun, ended] = [starts, ends];
    [starts, ends] = [[], []];
    if (begun.length + ended.length === 0) return;
    try {
      const go = commit(begun, ended);
      begun.forEach((entry, i) => entry.written(go[i]!));
    } catch (error) {
      failure ??= error instanceof Error ? error : new Error(String(error));
      for (const entry of begun) entry.failed(error);
    }
  };
  const schedule = (): void => {
    timer ??= setTimeout(write, BATCH_MS);
  };

  return {
    start(index) {
      return new Promise<boolean>((written, failed) => {
        starts.push({ position: positionOf(positions, index), written, failed });
        schedule();
      });
    },
    end(index, result) {
      ends.push({ position: positionOf(positions, index), result });
      schedule();
    },
    flush() {
      write();
      if (failure !== undefined) throw failure;
    },
  };
}

/** A message about to start, waiting for its row to be written. */
interface Start {
  position: number;
  written: (go: boolean) => void;
  failed: (error: unknown) => void;
}

/** A message that ended (`result` undefined: it certainly was not delivered). */
interface End {
  position: number;
  result: RecipientResult | undefined;
}

/**
 * Writes gathered events in one transaction, ends first. Returns, per start, whether its row was
 * still `queued` and is now `sending` (false: it is not to be sent).
 */
function eventWriter(
  store: Store,
  campaignId: number,
): (begun: readonly Start[], ended: readonly End[]) => boolean[] {
  const start = store.db.prepare(
    `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, started_at = coalesce(started_at, ?),
       updated_at = ? WHERE campaign_id = ? AND position = ? AND status = 'queued'`,
  );
  const end = store.db.prepare(
    `UPDATE deliveries SET status = ?, provider_id = ?, error = ?, updated_at = ?
     WHERE campaign_id = ? AND position = ? AND status = 'sending'`,
  );
  return (begun, ended) => {
    const now = store.now();
    return store.transaction(() => {
      for (const { position, result } of ended) end.run(...endValues(result), now, campaignId, position);
      return begun.map(({ position }) => start.run(now, now, campaignId, position).changes === 1);
    });
  };
}

function positionOf(positions: readonly number[], index: number): number {
  const found = positions[index];
  if (found === undefined) throw new Error(`no position for index ${index} of ${positions.length}`);
  return found;
}

/** Status, provider id and error of a row that ended with `result` (`undefined`: queued again). */
function endValues(result: RecipientResult | undefined): [string, string | null, string | null] {
  if (!result) return ['queued', null, null];
  if (result.status === 'sent') return ['sent', result.providerId, null];
  return [result.status, null, result.reason];
}

/**
 * Sets a chunk's status from its rows: `pending` while rows are queued (a later run sends them),
 * else `uncertain` when some await a decision, else `done`. A chunk with a message still in flight
 * is left `started`.
 */
export function settleChunk(store: Store, campaignId: number, chunk: number, reason: string | null): void {
  const rows = store.db
    .prepare<[number, number], { sending: number; queued: number; uncertain: number }>(
      `SELECT count(*) FILTER (WHERE status = 'sending') AS sending, count(*) FILTER (WHERE status = 'queued') AS queued,
         count(*) FILTER (WHERE status = 'uncertain') AS uncertain
       FROM deliveries INDEXED BY deliveries_by_chunk WHERE campaign_id = ? AND chunk = ?`,
    )
    .get(campaignId, chunk)!;
  // Still in flight (the send was interrupted): it stays started, for recovery to decide about.
  if (rows.sending > 0) return;
  const status = rows.queued > 0 ? 'pending' : rows.uncertain > 0 ? 'uncertain' : 'done';
  store.db
    .prepare(
      `UPDATE chunks SET status = ?, error = ?, finished_at = ?,
         payload_sha256 = CASE WHEN ? = 'pending' THEN NULL ELSE payload_sha256 END,
         started_at = CASE WHEN ? = 'pending' THEN NULL ELSE started_at END
       WHERE campaign_id = ? AND chunk = ?`,
    )
    .run(
      status,
      status === 'done' ? null : reason,
      status === 'pending' ? null : store.now(),
      status,
      status,
      campaignId,
      chunk,
    );
}

/**
 * After a crash: the rows of a chunk a per-message transport left `sending` were in flight and
 * may have been delivered; they become `uncertain` with `reason`. Returns how many.
 */
export function markInFlightUncertain(
  store: Store,
  campaignId: number,
  chunk: number,
  reason: string,
): number {
  return store.db
    .prepare(
      `UPDATE deliveries INDEXED BY deliveries_by_chunk SET status = 'uncertain', error = ?, updated_at = ?
       WHERE campaign_id = ? AND chunk = ? AND status = 'sending'`,
    )
    .run(reason, store.now(), campaignId, chunk).changes;
}
