import type { Store } from './store.ts';
import type { Recipient } from './types.ts';

/**
 * The recipients of a send: active members of the given lists (every list when `lists` is
 * undefined; nobody when it is empty), one entry per person however many of the lists they are
 * in, minus suppressed addresses (by status and by keyed hash), ordered by lowercase address so the
 * same database always gives the same order. `lists` ids are not checked here; check them with
 * `requireLists` first. Pure read: call it inside the sender's transaction to freeze the result.
 */
export function audience(store: Store, lists?: readonly string[]): Recipient[] {
  if (lists !== undefined && lists.length === 0) return [];
  const suppressed = suppressedHashes(store);
  return store
    .activeMembers(lists)
    .filter((member) => !suppressed.has(store.hashEmail(member.emailKey)))
    .map(({ subscriberId, email, name, lists: memberOf }) => ({
      subscriberId,
      email,
      name,
      lists: memberOf,
    }));
}

function suppressedHashes(store: Store): Set<string> {
  const rows = store.db.prepare('SELECT email_hash FROM suppressions').pluck().all() as string[];
  return new Set(rows);
}
