import type { Store } from '../audience/index.ts';
import { FORGOTTEN, type Campaign } from './ledger.ts';
import { skipRows } from './ledger-chunks.ts';
import { queuedRows, type DeliveryTarget, type QueuedRow } from './ledger-rows.ts';

/** A frozen row that can be sent: its person has not been erased. */
export type SendableRow = DeliveryTarget & { subscriberId: number; email: string };

/**
 * The delivery-time check: queued rows whose person unsubscribed, bounced, complained, was
 * suppressed, removed from the campaign's lists or erased since the freeze are skipped (with the
 * reason); the rest are returned to send. Only chunks not yet started are checked — a started
 * chunk must be repeated byte for byte for the provider to recognise it.
 */
export function admit(store: Store, campaign: Campaign, chunk: number): SendableRow[] {
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

/** The rows of a resumed chunk that can be sent (every one, after recovery). */
export function sendable(rows: readonly DeliveryTarget[]): SendableRow[] {
  // Recovery already turned chunks with erased rows uncertain; this only guards the types.
  return rows.filter((row): row is SendableRow => row.email !== null && row.subscriberId !== null);
}
