import type { Store } from '../audience/index.ts';
import { SECRET_ENV } from '../secrets/index.ts';
import { matchesPayloadSha256 } from './compose.ts';
import { FORGOTTEN, type Campaign } from './ledger.ts';
import { closeChunk, finishChunk, skipRows } from './ledger-chunks.ts';
import { chunksIn, sendingRows, type ChunkState, type DeliveryTarget } from './ledger-rows.ts';
import { markInFlightUncertain, settleChunk } from './ledger-messages.ts';
import { capabilitiesOf } from './transports/index.ts';
import type { OutgoingEmail, Transport } from './types.ts';

/**
 * A chunk is retried under its key only if it was first sent this long before the key expires: the
 * retry itself may wait behind rate limits and backoff, and the clocks of this machine and the
 * provider may differ by a little.
 */
export const IDEMPOTENCY_MARGIN_MS = 30 * 60_000;

/** What recovery found: chunks to retry with their old key, and chunks that became uncertain. */
export interface Recovery {
  retry: number[];
  uncertain: { chunk: number; rows: number; reason: string }[];
}

/**
 * Decides, at the start of a run, about every chunk a previous run started but never finished
 * (it crashed, was interrupted, or gave up retrying). Such a chunk's outcome is unknown: the
 * provider may have delivered it. It is retried under the same key only when the transport's
 * `idempotentRetry` makes that harmless — `within` its window of the key's first use and with a
 * byte-identical payload (Resend answers with the earlier result instead of sending again), or
 * `always` (the outbox overwrites the same files). Everything else — another transport than the
 * one that started it, an expired key, a changed issue — turns its unfinished rows `uncertain`, to
 * be decided with `--uncertain=skip|resend`. A chunk of a `perMessage` transport (SMTP) turns only
 * the messages in flight uncertain (a relay cannot recognise a message sent twice); its queued
 * rows go back to the queue.
 */
export function recoverStartedChunks(
  store: Store,
  campaign: Campaign,
  transport: Pick<Transport, 'name' | 'capabilities'>,
  compose: (row: DeliveryTarget & { subscriberId: number; email: string }) => OutgoingEmail,
): Recovery {
  const recovery: Recovery = { retry: [], uncertain: [] };
  for (const chunk of chunksIn(store, campaign.id, ['started'])) {
    if (capabilitiesOf(chunk.transport)?.perMessage) {
      const rows = recoverPerMessage(store, campaign.id, chunk);
      if (rows > 0) recovery.uncertain.push({ chunk: chunk.chunk, rows, reason: smtpReason(chunk) });
      continue;
    }
    const rows = sendingRows(store, campaign.id, chunk.chunk);
    if (rows.length === 0) {
      closeChunk(store, campaign.id, chunk.chunk);
      continue;
    }
    const reason = uncertainty(chunk, rows, transport, Date.parse(store.now()), compose);
    if (reason === undefined) {
      recovery.retry.push(chunk.chunk);
      continue;
    }
    finishChunk(store, campaign.id, chunk.chunk, [], { kind: 'uncertain', reason });
    // Erased people cannot be sent to again, whatever is decided: their rows close as skipped.
    const forgotten = rows.filter((row) => row.email === null || row.subscriberId === null);
    skipRows(
      store,
      campaign.id,
      forgotten.map((row) => ({ position: row.position, reason: FORGOTTEN })),
    );
    recovery.uncertain.push({ chunk: chunk.chunk, rows: rows.length - forgotten.length, reason });
  }
  return recovery;
}

/**
 * An SMTP chunk records each message as it goes: its rows still `sending` were in flight when the
 * send ended, and only they are in doubt; its queued rows were never handed to the relay and go
 * back to the queue. Returns how many rows became uncertain (erased people's close as skipped).
 */
function recoverPerMessage(store: Store, campaignId: number, chunk: ChunkState): number {
  return store.transaction(() => {
    const forgotten = sendingRows(store, campaignId, chunk.chunk).filter(
      (row) => row.email === null || row.subscriberId === null,
    );
    const uncertain = markInFlightUncertain(store, campaignId, chunk.chunk, smtpReason(chunk));
    // Erased people cannot be sent to again, whatever is decided: their rows close as skipped.
    skipRows(
      store,
      campaignId,
      forgotten.map((row) => ({ position: row.position, reason: FORGOTTEN })),
    );
    settleChunk(store, campaignId, chunk.chunk, chunk.error);
    return uncertain - forgotten.length;
  });
}

/** Why a per-message chunk's messages in flight are uncertain. */
function smtpReason(chunk: ChunkState): string {
  return `the message was being sent over SMTP (chunk ${chunk.chunk}, started ${chunk.startedAt ?? 'at an unknown time'}) when the send ended; a relay cannot recognise a message sent twice`;
}

function uncertainty(
  chunk: ChunkState,
  rows: readonly DeliveryTarget[],
  transport: Pick<Transport, 'name' | 'capabilities'>,
  now: number,
  compose: (row: DeliveryTarget & { subscriberId: number; email: string }) => OutgoingEmail,
): string | undefined {
  const started = chunk.startedAt ?? 'an unknown time';
  if (chunk.transport !== transport.name) {
    return `chunk ${chunk.chunk} was handed to ${chunk.transport ?? 'another transport'} at ${started} without an answer; ${transport.name} cannot know what it delivered`;
  }
  const retry = transport.capabilities.idempotentRetry;
  if (retry.kind === 'always') return undefined;
  if (retry.kind === 'never') {
    return `chunk ${chunk.chunk} was handed to ${transport.name} at ${started} without an answer, and ${transport.name} cannot recognise a chunk sent twice`;
  }
  if (
    chunk.startedAt === null ||
    now - Date.parse(chunk.startedAt) >= retry.windowMs - IDEMPOTENCY_MARGIN_MS
  ) {
    return `chunk ${chunk.chunk} was first sent at ${started} without an answer, more than ${hours(retry.windowMs - IDEMPOTENCY_MARGIN_MS)} h ago; ${retry.provider} forgets its idempotency key after ${hours(retry.windowMs)} h, so a retry could deliver it twice`;
  }
  const complete = rows.filter(
    (row): row is DeliveryTarget & { subscriberId: number; email: string } =>
      row.email !== null && row.subscriberId !== null,
  );
  if (complete.length < rows.length) {
    return `a recipient of chunk ${chunk.chunk} was erased since it was first sent without an answer, so it cannot be sent byte for byte again`;
  }
  if (!matchesPayloadSha256(complete.map(compose), chunk.payloadSha256)) {
    return `the issue changed since sending started (or the sender settings or ${SECRET_ENV} did): chunk ${chunk.chunk} was handed to ${retry.provider} with the earlier version at ${started} without an answer, and its idempotency key cannot be reused for a different body (so too after an upgrade from a release before 2026-12, whose unsubscribe links were made differently)`;
  }
  return undefined;
}

function hours(ms: number): string {
  return String(Math.round((ms / 3_600_000) * 10) / 10);
}
