import type { Store } from '../audience/index.ts';
import type { SendableRow } from './deliver-admit.ts';
import type { Campaign } from './ledger.ts';
import { finishChunk, noteAttempt, type ChunkEnd, type RowResult } from './ledger-chunks.ts';
import type { ChunkState } from './ledger-rows.ts';
import { messageLedger, settleChunk, type MessageLedger } from './ledger-messages.ts';
import { sendChunkWithRetry, type MonotonicClock, type RetryPolicy } from './transports/index.ts';
import type { ChunkOutcome, ChunkStop, OutgoingEmail, Reservation, Transport } from './types.ts';

/** What {@link attempt} needs of the deliver loop's options. */
export interface AttemptOptions {
  store: Store;
  campaign: Campaign;
  transport: Transport;
  policy?: RetryPolicy | undefined;
  /** Where the retry backoff waits; default the process's clock. */
  clock?: MonotonicClock | undefined;
  /** Aborting it interrupts the calls in flight; their chunks stay `started`. */
  signal: AbortSignal;
  /** Called before every attempt (the send lock's heartbeat). */
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

/** Sends a started chunk with retries and writes what came of it. Returns its stop, if any. */
export async function attempt(
  options: AttemptOptions,
  chunk: ChunkState,
  targets: readonly SendableRow[],
  emails: readonly OutgoingEmail[],
  reservation: Reservation | undefined,
): Promise<DeliverStop | undefined> {
  const { store, campaign, transport } = options;
  const progress = transport.capabilities.perMessage
    ? messageLedger(
        store,
        campaign.id,
        targets.map((t) => t.position),
      )
    : undefined;
  let sent: Sent;
  try {
    sent = await sendWithRetries(options, chunk, emails, reservation, progress);
  } finally {
    // Outcomes that came before an interrupt are written now, not left for recovery to doubt.
    progress?.flush();
  }
  const stop = sent.outcome.stop;
  if (progress) {
    // Every outcome was written as it came; the chunk's status follows from its rows.
    settleChunk(store, campaign.id, chunk.chunk, stop?.reason ?? null);
  } else {
    const end = endOf(stop, sent.maybeProcessed);
    finishChunk(store, campaign.id, chunk.chunk, rowResults(sent.outcome, targets), end);
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

/** The outcome of a chunk's attempts, and whether any of them may have delivered something. */
interface Sent {
  outcome: ChunkOutcome;
  maybeProcessed: boolean;
}

async function sendWithRetries(
  options: AttemptOptions,
  chunk: ChunkState,
  emails: readonly OutgoingEmail[],
  reservation: Reservation | undefined,
  progress: MessageLedger | undefined,
): Promise<Sent> {
  const { store, campaign, transport } = options;
  const resumed = chunk.status === 'started';
  // A resumed chunk's earlier attempt may have delivered something.
  let maybeProcessed = resumed;
  const outcome = await sendChunkWithRetry(
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
      ...(options.clock ? { sleep: options.clock.sleep } : {}),
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
  const stop = outcome.stop;
  if (stop?.kind === 'retryable' && stop.maybeProcessed) maybeProcessed = true;
  return { outcome, maybeProcessed };
}

/** A whole-chunk transport's results by row position. */
function rowResults(outcome: ChunkOutcome, targets: readonly SendableRow[]): RowResult[] {
  return outcome.results.map((r): RowResult => {
    const position = targets[r.index]!.position;
    return r.status === 'sent'
      ? { position, status: 'sent', providerId: r.providerId }
      : { position, status: r.status, reason: r.reason };
  });
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
