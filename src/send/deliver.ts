import { setImmediate } from 'node:timers/promises';
import type { Store } from '../audience/index.ts';
import { payloadSha256 } from './compose.ts';
import { FORGOTTEN, type Campaign } from './ledger.ts';
import {
  chunksIn,
  closeChunk,
  finishChunk,
  noteAttempt,
  queuedRows,
  sendingRows,
  skipRows,
  startChunk,
  type ChunkEnd,
  type ChunkState,
  type DeliveryTarget,
  type QueuedRow,
  type RowResult,
} from './ledger-chunks.ts';
import { messageLedger, settleChunk } from './ledger-messages.ts';
import { sendChunkWithRetry, type RetryPolicy } from './transports/index.ts';
import type { ChunkOutcome, ChunkStop, OutgoingEmail, Reservation, Transport } from './types.ts';

/** A frozen row that can be sent: its person has not been erased. */
export type SendableRow = DeliveryTarget & { subscriberId: number; email: string };

/** Inputs of {@link deliver}. */
export interface DeliverOptions {
  store: Store;
  campaign: Campaign;
  transport: Transport;
  compose: (row: SendableRow) => OutgoingEmail;
  /** Chunks in flight at once (Resend: several, so the pace can reach the rate limit). */
  concurrency: number;
  policy?: RetryPolicy | undefined;
  /** Aborting it interrupts the calls in flight; their chunks stay `started`. */
  signal: AbortSignal;
  /** Called after every chunk and before every attempt (the send lock's heartbeat). */
  onChunk?: () => void;
  onAttempt?: () => void;
  onRetry?: (chunk: number, stop: ChunkStop, attempt: number, delayMs: number) => void;
}

/** Why the loop stopped early: the stop of one chunk, or an interrupt. */
export interface DeliverStop {
  kind: ChunkStop['kind'] | 'interrupted';
  reason: string;
  chunk: number;
  code?: string | undefined;
  period?: 'daily' | 'monthly' | undefined;
}

/**
 * The deliver loop: every `pending` and (recovered) `started` chunk of the campaign, in order, a few
 * at a time. State is written before each call (rows `sending`, the payload hash) and after it
 * (results) — for a per-message transport (SMTP) before and after each message instead — so a
 * crash at any point leaves a ledger {@link recoverStartedChunks} can resume from.
 * After a stop of one chunk no new chunk starts; the ones in flight finish. Resolves with the
 * stop, if any; rejects only on a bug or a database failure.
 */
export async function deliver(options: DeliverOptions): Promise<DeliverStop | undefined> {
  // Unfinished chunks of an earlier run first: their idempotency keys are the ones that expire.
  const queue = [
    ...chunksIn(options.store, options.campaign.id, ['started']),
    ...chunksIn(options.store, options.campaign.id, ['pending']),
  ];
  let stop: DeliverStop | undefined;
  let broken = false;
  // Lanes open one at a time, each when the one before got its first turn: at the start only
  // the chunk about to go is composed, not one per lane, which would hold up its request. A lane
  // opened at a turn starts working on the next turn of the event loop, after that request.
  const lanes: Promise<void>[] = [];
  const openLane = () => {
    if (lanes.length >= Math.max(1, options.concurrency)) return;
    const opened = setImmediate().then(lane);
    // Its failure is seen by the `allSettled` below; until then it is not an unhandled rejection.
    opened.catch(() => undefined);
    lanes.push(opened);
  };
  const lane = async (): Promise<void> => {
    let opened = false;
    const turn = () => {
      if (!opened) openLane();
      opened = true;
    };
    for (let next = queue.shift(); next && !stop && !broken; next = queue.shift()) {
      if (options.signal.aborted) return;
      try {
        const result = await runChunk(options, next, () => stop !== undefined || broken, turn);
        stop ??= result;
      } catch (error) {
        if (options.signal.aborted) return;
        broken = true;
        throw error;
      }
      options.onChunk?.();
    }
  };
  openLane();
  let settled: PromiseSettledResult<void>[] = [];
  while (settled.length < lanes.length) settled = await Promise.allSettled(lanes);
  const failure = settled.find((lane): lane is PromiseRejectedResult => lane.status === 'rejected');
  if (failure) throw failure.reason;
  if (options.signal.aborted) return { kind: 'interrupted', reason: 'Interrupted.', chunk: 0 };
  return stop;
}

async function runChunk(
  options: DeliverOptions,
  chunk: ChunkState,
  stopped: () => boolean,
  turn: () => void,
): Promise<DeliverStop | undefined> {
  const { store, campaign, transport } = options;
  const resumed = chunk.status === 'started';
  const targets = resumed
    ? sendable(sendingRows(store, campaign.id, chunk.chunk))
    : admit(store, campaign, chunk.chunk);
  if (targets.length === 0) {
    closeChunk(store, campaign.id, chunk.chunk);
    return undefined;
  }
  const emails = await composeInSlices(targets, options.compose);
  const hash = resumed ? undefined : payloadSha256(emails);
  // Then its turn: a chunk is marked started only when its request is about to go (a crash
  // leaves no chunk in doubt that was only waiting), and not at all if another chunk stopped
  // the send meanwhile — it stays as it was for the next run.
  const reservation = await transport.reserve?.(options.signal);
  turn();
  try {
    // Composing let the event loop turn: an interrupt may have come meanwhile.
    if (stopped() || options.signal.aborted) return undefined;
    if (hash !== undefined) {
      startChunk(store, {
        campaignId: campaign.id,
        chunk: chunk.chunk,
        // A per-message transport marks each row as its own message starts.
        positions: transport.capabilities.perMessage ? [] : targets.map((t) => t.position),
        payloadSha256: hash,
        transport: transport.name,
      });
    }
    return await attempt(options, chunk, targets, emails, reservation);
  } finally {
    reservation?.release();
  }
}

/** Recipients composed between two turns of the event loop. */
const COMPOSE_SLICE = 20;

/**
 * Composes a chunk's emails a slice at a time, letting the event loop turn in between: a whole
 * chunk takes 5–20 ms, which would hold up the timer of another chunk's turn and the socket
 * writes of a request going out — both of which the pace counts from.
 */
async function composeInSlices(
  targets: readonly SendableRow[],
  compose: (row: SendableRow) => OutgoingEmail,
): Promise<OutgoingEmail[]> {
  const emails: OutgoingEmail[] = [];
  for (let start = 0; start < targets.length; start += COMPOSE_SLICE) {
    if (start > 0) await setImmediate();
    for (const target of targets.slice(start, start + COMPOSE_SLICE)) emails.push(compose(target));
  }
  return emails;
}

/** Sends a started chunk with retries and writes what came of it. */
async function attempt(
  options: DeliverOptions,
  chunk: ChunkState,
  targets: readonly SendableRow[],
  emails: readonly OutgoingEmail[],
  reservation: Reservation | undefined,
): Promise<DeliverStop | undefined> {
  const { store, campaign, transport } = options;
  const resumed = chunk.status === 'started';
  // Whether an attempt may have delivered something: a resumed chunk's earlier attempt may have.
  let maybeProcessed = resumed;
  const progress = transport.capabilities.perMessage
    ? messageLedger(
        store,
        campaign.id,
        targets.map((t) => t.position),
      )
    : undefined;
  let outcome: ChunkOutcome;
  try {
    outcome = await sendChunkWithRetry(
      transport,
      emails,
      {
        idempotencyKey: chunk.idempotencyKey,
        signal: options.signal,
        ...(reservation ? { reservation } : {}),
        ...(progress ? { progress } : {}),
      },
      {
        ...(options.policy ? { policy: options.policy } : {}),
        beforeAttempt: (attempt) => {
          if (attempt > 1 || resumed) noteAttempt(store, campaign.id, chunk.chunk, transport.name);
          options.onAttempt?.();
        },
        onRetry: (stop, attempt, delayMs) => {
          if (stop.kind === 'retryable' && stop.maybeProcessed) maybeProcessed = true;
          options.onRetry?.(chunk.chunk, stop, attempt, delayMs);
        },
      },
    );
  } finally {
    // Outcomes that came before an interrupt are written now, not left for recovery to doubt.
    progress?.flush();
  }
  const stop = outcome.stop;
  if (progress) {
    // Every outcome was written as it came; the chunk's status follows from its rows.
    settleChunk(store, campaign.id, chunk.chunk, stop?.reason ?? null);
  } else {
    const results = outcome.results.map((r): RowResult => {
      const position = targets[r.index]!.position;
      return r.status === 'sent'
        ? { position, status: 'sent', providerId: r.providerId }
        : { position, status: r.status, reason: r.reason };
    });
    if (stop?.kind === 'retryable' && stop.maybeProcessed) maybeProcessed = true;
    finishChunk(store, campaign.id, chunk.chunk, results, endOf(stop, maybeProcessed));
  }
  if (!stop) return undefined;
  return {
    kind: stop.kind,
    reason: stop.reason,
    chunk: chunk.chunk,
    code: stop.code,
    period: stop.kind === 'quota' ? stop.period : undefined,
  };
}

/**
 * Where a chunk of a whole-chunk transport stands after its attempts. A conflict (409: same key,
 * other body) makes its pending rows uncertain. A refusal proves nothing was delivered — Resend
 * replays a processed key instead of refusing it, the outbox overwrites — so the rows go back to
 * the queue; when retries ran out after a maybe-processed failure, the outcome is unknown and the
 * chunk stays `started`, to be retried under its key.
 */
function endOf(stop: ChunkStop | undefined, maybeProcessed: boolean): ChunkEnd {
  if (!stop) return { kind: 'done' };
  if (stop.kind === 'conflict')
    return { kind: 'uncertain', reason: `the issue changed since sending started (${stop.reason})` };
  return stop.kind !== 'retryable' || !maybeProcessed
    ? { kind: 'refused', reason: stop.reason }
    : { kind: 'unknown', reason: stop.reason };
}

/**
 * The delivery-time check: queued rows whose person unsubscribed, bounced, complained, was
 * suppressed, removed from the campaign's lists or erased since the freeze are skipped (with the
 * reason); the rest are returned to send. Only chunks not yet started are checked — a started
 * chunk must be repeated byte for byte for the provider to recognise it.
 */
function admit(store: Store, campaign: Campaign, chunk: number): SendableRow[] {
  const rows = queuedRows(store, campaign, chunk);
  const skips: { position: number; reason: string }[] = [];
  const admitted: SendableRow[] = [];
  for (const row of rows) {
    const reason = skipReason(store, row);
    if (reason) skips.push({ position: row.position, reason });
    else admitted.push(row as SendableRow);
  }
  skipRows(store, campaign.id, skips);
  return admitted;
}

function skipReason(store: Store, row: QueuedRow): string | undefined {
  if (row.email === null || row.subscriberId === null) return FORGOTTEN;
  if (row.subscriberStatus === null) return 'deleted from the database since the send started';
  if (row.subscriberStatus !== 'active') return `${row.subscriberStatus} since the send started`;
  if (!row.member) return "removed from the campaign's lists since the send started";
  const suppression = row.emailKey === null ? undefined : store.suppression(row.emailKey);
  if (suppression) return `suppressed (${suppression.reason}) since the send started`;
  return undefined;
}

function sendable(rows: readonly DeliveryTarget[]): SendableRow[] {
  // Recovery already turned chunks with erased rows uncertain; this only guards the types.
  return rows.filter((row): row is SendableRow => row.email !== null && row.subscriberId !== null);
}
