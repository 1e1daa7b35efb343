import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { requireEmail } from './manage.ts';
import type { DeliveryExport } from './queries.ts';
import type { Store } from './store.ts';
import type { Confirmation, Membership, Subscriber, Suppression } from './types.ts';

/** Everything stored about one address (GDPR art. 15, the right of access). */
export interface PersonExport {
  /** The address asked about, normalised. */
  email: string;
  exportedAt: string;
  /** The subscriber row; `tokenKey` is the random value in their unsubscribe links (tokens.ts). */
  subscriber: (Omit<Subscriber, 'emailKey'> & { tokenKey: string }) | null;
  memberships: Membership[];
  /** Subscriptions started on the web form: the name typed, the lists chosen, consent version, times. */
  confirmations: Confirmation[];
  deliveries: DeliveryExport[];
  /** Present when the address is suppressed; only a keyed hash of it is stored for that. */
  suppression: (Suppression & { stored: 'keyed hash of the address' }) | null;
}

/**
 * Collects everything stored about one address: the subscriber row, list memberships, web-form
 * confirmations (pending or used), every delivery to it (with the campaign's issue and subject)
 * and its suppression. Throws `SubscriberNotFound` when nothing at all is stored about it.
 */
export function exportPerson(store: Store, input: string): PersonExport {
  const address = requireEmail(input);
  const found = store.findSubscriber(address.key);
  const deliveries = store.deliveriesOf(found?.id, address.key);
  const suppression = store.suppression(address.key);
  if (!found && deliveries.length === 0 && !suppression) {
    throw new UserError(E.NothingStored, { email: address.email });
  }
  return {
    email: address.email,
    exportedAt: store.now(),
    subscriber: found ? { ...withoutKey(found), tokenKey: store.tokenKey(found.id)! } : null,
    memberships: found ? store.memberships(found.id) : [],
    confirmations: found ? store.confirmationsOf(found.id) : [],
    deliveries,
    suppression: suppression ? { ...suppression, stored: 'keyed hash of the address' } : null,
  };
}

/** A subscriber without the internal lowercase key (it repeats the address). */
export function withoutKey<T extends Subscriber>(subscriber: T): Omit<T, 'emailKey'> {
  const copy: Partial<T> = { ...subscriber };
  delete copy.emailKey;
  return copy as Omit<T, 'emailKey'>;
}

/** What {@link forgetPerson} did. */
export interface ForgetResult {
  email: string;
  /** A subscriber row existed and was deleted. */
  subscriber: boolean;
  /** Delivery rows whose address, name and ids were cleared. */
  deliveries: number;
  /** False when another process held the database open, so old WAL frames may remain until it closes. */
  walCleared: boolean;
}

/**
 * Erases one person (GDPR art. 17, the right to erasure): deletes the subscriber and their
 * memberships, clears address, name and ids on their delivery rows (the rows stay, so campaign
 * counts and positions hold), and keeps only the keyed hash in `suppressions` (reason `forgotten`)
 * so no later import or `add` brings them back. Then rebuilds the database file and truncates the
 * WAL so no clear-text copy is left in freed pages. Forgetting an unknown address still suppresses it.
 * Call it outside any transaction (VACUUM cannot run inside one).
 */
export function forgetPerson(store: Store, input: string): ForgetResult {
  const address = requireEmail(input);
  const erased = store.transaction(() => {
    const result = store.erase(address.key);
    store.suppress(address.key, 'forgotten');
    return result;
  });
  const { walCleared } = store.compact();
  return { email: address.email, ...erased, walCleared };
}
