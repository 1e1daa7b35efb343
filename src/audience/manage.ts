import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { parseEmail, type EmailAddress } from './email.ts';
import type { Store } from './store.ts';
import { STATUSES, STOPPED_STATUSES, type Subscriber, type SubscriberStatus } from './types.ts';

/**
 * Validates an address given on the command line. Throws `UsageError` with the reason when it is
 * not a valid address (the rule is in email.ts).
 */
export function requireEmail(input: string): EmailAddress {
  const result = parseEmail(input);
  if (!result.ok) {
    throw new UserError(E.EmailInvalid, { reason: result.reason });
  }
  return result;
}

/** Checks a `--status` value. Throws `UsageError` naming the statuses for an unknown one. */
export function parseStatus(status: string | undefined): SubscriberStatus | undefined {
  const known: readonly string[] = STATUSES;
  if (status === undefined || known.includes(status)) return status as SubscriberStatus | undefined;
  throw new UserError(E.StatusUnknown, { status, known: STATUSES });
}

/** What {@link addSubscriber} did. */
export interface AddResult {
  subscriber: Subscriber;
  created: boolean;
  /** Lists the subscriber joined now. */
  joined: string[];
  /** Lists the subscriber was already a member of. */
  already: string[];
}

/**
 * Adds one person (the operator vouches for their consent: source `cli:add`) to the given lists,
 * which must already be checked against lists.yml. An existing subscriber joins the lists; a
 * pending one becomes active. Throws `SubscriberSuppressed` for an address that unsubscribed,
 * bounced, complained or was forgotten: they can only come back by subscribing themselves.
 */
export function addSubscriber(
  store: Store,
  input: string,
  options: { name?: string | undefined; lists: string[] },
): AddResult {
  const address = requireEmail(input);
  return store.transaction(() => {
    let subscriber = store.findSubscriber(address.key);
    const suppression = store.suppression(address.key);
    if ((subscriber && STOPPED_STATUSES.includes(subscriber.status)) || suppression) {
      const why =
        subscriber && STOPPED_STATUSES.includes(subscriber.status) ? subscriber.status : suppression!.reason;
      throw new UserError(E.SubscriberSuppressed, { email: address.email, why });
    }
    const name = options.name?.trim() || null;
    const created = !subscriber;
    if (!subscriber) {
      subscriber = store.insertSubscriber({
        email: address.email,
        emailKey: address.key,
        name,
        status: 'active',
        consentSource: 'cli:add',
      });
    } else if (subscriber.status === 'pending' || (name && name !== subscriber.name)) {
      store.updateSubscriber(subscriber.id, {
        ...(subscriber.status === 'pending' ? { status: 'active', consentSource: 'cli:add' } : {}),
        ...(name ? { name } : {}),
      });
    }
    const joined: string[] = [];
    const already: string[] = [];
    for (const list of options.lists)
      (store.addMembership(subscriber.id, list, 'cli:add') ? joined : already).push(list);
    return { subscriber: store.findSubscriber(address.key)!, created, joined, already };
  });
}

/**
 * Removes a subscriber from one list, or — without a list — marks them `unsubscribed` and
 * suppresses the address so no import brings them back. Throws `SubscriberNotFound` when the
 * address (or its membership of the list) is not in the database. Returns the new status.
 */
export function removeSubscriber(
  store: Store,
  input: string,
  list?: string,
): { email: string; status: Subscriber['status'] } {
  const address = requireEmail(input);
  return store.transaction(() => {
    const subscriber = store.findSubscriber(address.key);
    if (!subscriber) {
      throw new UserError(E.SubscriberMissing, { email: address.email });
    }
    if (list !== undefined) {
      if (!store.removeMembership(subscriber.id, list)) {
        throw new UserError(E.NotAMember, { email: subscriber.email, list });
      }
      return { email: subscriber.email, status: subscriber.status };
    }
    // A bounced or complained address keeps that status: it says more than "unsubscribed".
    const status = STOPPED_STATUSES.includes(subscriber.status) ? subscriber.status : 'unsubscribed';
    if (status !== subscriber.status) store.updateSubscriber(subscriber.id, { status });
    store.suppress(address.key, 'unsubscribed');
    return { email: subscriber.email, status };
  });
}
