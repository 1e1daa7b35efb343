import { setImmediate } from 'node:timers/promises';
import { payloadSha256 } from './compose.ts';
import { admit, sendable, type SendableRow } from './deliver-admit.ts';
import { attempt, type AttemptOptions, type DeliverStop } from './deliver-attempt.ts';
import { closeChunk, startChunk } from './ledger-chunks.ts';
import { chunksIn, sendingRows, type ChunkState } from './ledger-rows.ts';
import type { OutgoingEmail } from './types.ts';

export type { SendableRow } from './deliver-admit.ts';
export type { DeliverStop } from './deliver-attempt.ts';

/** Inputs of {@link deliver}: those of each chunk's {@link attempt}, and the loop's own. */
export interface DeliverOptions extends AttemptOptions {
  compose: (row: SendableRow) => OutgoingEmail;
  /** Chunks in flight at once (Resend: several, so the pace can reach the rate limit). */
  concurrency: number;
  /** Called after every chunk (the send lock's heartbeat). */
  onChunk?: () => void;
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
    // Its failure is seen by `allLanes` below; until then it is not an unhandled rejection.
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
  await allLanes(lanes);
  if (options.signal.aborted) return { kind: 'interrupted', reason: 'Interrupted.', chunk: 0 };
  return stop;
}

/** Waits for every lane, those opened meanwhile too; rejects with the first lane's failure. */
async function allLanes(lanes: readonly Promise<void>[]): Promise<void> {
  let settled: PromiseSettledResult<void>[] = [];
  while (settled.length < lanes.length) settled = await Promise.allSettled(lanes);
  const failure = settled.find((lane): lane is PromiseRejectedResult => lane.status === 'rejected');
  if (failure) throw failure.reason;
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
