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
  return audienceOf(store, lists).recipients;
}

/** {@link audience}, and how many active members it left out as suppressed (for the plan). */
export function audienceOf(
  store: Store,
  lists?: readonly string[],
): { recipients: Recipient[]; suppressed: number } {
  if (lists !== undefined && lists.length === 0) return { recipients: [], suppressed: 0 };
  const suppressed = suppressedHashes(store);
  const recipients: Recipient[] = [];
  let left = 0;
  // One pass, one object per kept member: at 100,000 members every extra copy is tens of MB.
  for (const member of store.activeMembers(lists)) {
    if (suppressed.size > 0 && suppressed.has(store.hashEmail(member.emailKey))) left++;
    else
      recipients.push({
        subscriberId: member.subscriberId,
        email: member.email,
        name: member.name,
        lists: member.lists,
      });
  }
  return { recipients, suppressed: left };
}

function suppressedHashes(store: Store): Set<string> {
  const rows = store.db.prepare('SELECT email_hash FROM suppressions').pluck().all() as string[];
  return new Set(rows);
}
