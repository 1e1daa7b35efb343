import { existsSync, readFileSync } from 'node:fs';
import { verifyUnsubscribeToken, type UnsubscribeClaim } from '../tokens.ts';
import type { Store } from './store.ts';
import { STOPPED_STATUSES, type SubscriberStatus } from './types.ts';

/**
 * The unsubscribe journal next to a database: one-click unsubscribes `serve` received while
 * another process held the write lock, one signed token per line, applied once the lock is free
 * (src/serve/journal.ts owns appending and removing).
 */
export function unsubscribeJournalPath(database: string): string {
  return `${database}-unsubscribes`;
}

/**
 * Marks the subscriber `unsubscribed` (a bounced or complained one keeps that status: it says
 * more) and suppresses the address, so no import or `subscribers add` brings them back. Returns
 * whether anything changed. A subscriber who no longer exists (erased with `forget`) is already
 * suppressed: nothing to do. `stale`: the link does not belong to the subscriber now holding the
 * id (see {@link linkHolder}); nothing is changed.
 */
export function unsubscribe(store: Store, claim: UnsubscribeClaim): boolean | 'stale' {
  return store.transaction(() => {
    const row = linkHolder(store, claim);
    if (row === 'gone') return false;
    if (row === 'stale') return row;
    const suppressed = store.suppression(row.email_key) !== undefined;
    const stopped = STOPPED_STATUSES.includes(row.status);
    if (!stopped) store.updateSubscriber(claim.subscriberId, { status: 'unsubscribed' });
    if (!suppressed) store.suppress(row.email_key, 'unsubscribed');
    return !stopped || !suppressed;
  });
}

/**
 * The subscriber a validly signed link acts on: the row with its id and its token key, or — for a
 * link sent before schema 4, which has the id alone — the row with that id if migration 4 let its
 * old links live (`v1_links`). `gone`: no row has the id (the person was forgotten; ids are never
 * reused). `stale`: a row has the id but not the link's key, so it is not the person it was sent
 * to, or may not be.
 */
export function linkHolder(
  store: Store,
  claim: UnsubscribeClaim,
): { email_key: string; status: SubscriberStatus } | 'gone' | 'stale' {
  const row = store.db
    .prepare<[number], { email_key: string; status: SubscriberStatus; token_key: string; v1_links: number }>(
      'SELECT email_key, status, token_key, v1_links FROM subscribers WHERE id = ?',
    )
    .get(claim.subscriberId);
  if (!row) return 'gone';
  const bound = claim.tokenKey === null ? row.v1_links === 1 : claim.tokenKey === row.token_key;
  return bound ? row : 'stale';
}

/**
 * Applies, in one transaction, every unsubscribe `serve` journaled and has not applied yet, so a
 * send started while `serve` is stopped (or before its next drain) never writes to someone who
 * already asked to leave. The file is only read: `serve` removes lines once it has applied them
 * itself, and applying a token twice changes nothing. Tokens are verified with `secret`, as
 * `serve` signed them. Returns how many unsubscribed someone (0 without a journal).
 */
export function applyUnsubscribeJournal(store: Store, secret: string): number {
  const path = unsubscribeJournalPath(store.path);
  if (!existsSync(path)) return 0;
  const tokens = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  return store.transaction(() => {
    let changed = 0;
    for (const token of tokens) {
      const claim = verifyUnsubscribeToken(secret, token);
      if (claim && unsubscribe(store, claim) === true) changed += 1;
    }
    return changed;
  });
}
