import type { Store } from './store.ts';
import type { SubscriberStatus } from './types.ts';

// A stronger word never gives way to a weaker one: a complaint outranks a bounce, which outranks
// an unsubscribe; `forget` is the only way back to nothing.
const RANK: Record<SubscriberStatus, number> = {
  pending: 0,
  active: 0,
  unsubscribed: 1,
  bounced: 2,
  complained: 3,
};

/**
 * Stops an address that bounced for good or complained: its subscriber (if any) takes the status
 * unless it already has a stronger one, and the address is suppressed, so no import or `send`
 * reaches it again. Call inside the transaction that records why. Returns whether anything changed.
 */
export function stopAddress(store: Store, key: string, status: 'bounced' | 'complained'): boolean {
  const subscriber = store.findSubscriber(key);
  let changed = false;
  if (subscriber && RANK[status] > RANK[subscriber.status]) {
    store.updateSubscriber(subscriber.id, { status });
    changed = true;
  }
  if (store.suppression(key) === undefined) changed = true;
  store.suppress(key, status);
  return changed;
}
