import { hostname } from 'node:os';
import type { Store } from '../audience/index.ts';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import type { Campaign } from './ledger.ts';

/** A lock whose holder has not written a heartbeat for this long is taken over. */
export const LOCK_STALE_MS = 10 * 60_000;

/** The send lock of one campaign, held by this process. */
export interface SendLock {
  /** Refreshes the heartbeat; call it now and then while sending. */
  touch(): void;
  release(): void;
}

/** A process holding a lock: its pid and host, and when it last said it was alive. */
export interface Holder {
  pid: number;
  host: string;
  at: string;
}

/**
 * Makes sure only one process works on a campaign: two `send` runs of the same issue at once
 * would hand the same chunks to the transport twice (harmless for Resend, duplicates over SMTP).
 * The lock is a row in `meta`; a holder that died (SIGKILL, power cut) is recognised by its pid on
 * this host or by a heartbeat older than {@link LOCK_STALE_MS}, and taken over. Throws
 * `SendRefused` while a live process holds it.
 */
export function acquireSendLock(store: Store, campaign: Campaign): SendLock {
  const key = `send_lock/${campaign.id}`;
  const me: Holder = { pid: process.pid, host: hostname(), at: store.now() };
  const read = (): Holder | undefined => {
    const value = store.db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck().get(key);
    return value === undefined ? undefined : (JSON.parse(value) as Holder);
  };
  const write = (holder: Holder): void => {
    store.db
      .prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)')
      .run(key, JSON.stringify(holder));
  };
  store.transaction(() => {
    const holder = read();
    if (holder && !(holder.pid === me.pid && holder.host === me.host) && alive(holder, Date.parse(me.at))) {
      const staleMinutes = LOCK_STALE_MS / 60_000;
      throw new UserError(E.SendLocked, { issueId: campaign.issueId, holder, staleMinutes });
    }
    write(me);
  });
  let touched = Date.now();
  return {
    touch: () => {
      // A heartbeat is a write (and an fsync): once a minute is plenty against a 10-minute expiry.
      if (Date.now() - touched < 60_000) return;
      touched = Date.now();
      const holder = read();
      if (holder?.pid === me.pid && holder.host === me.host) write({ ...me, at: store.now() });
    },
    release: () => {
      store.db.prepare('DELETE FROM meta WHERE key = ? AND value LIKE ?').run(key, `{"pid":${me.pid},%`);
    },
  };
}

/**
 * True while the holder may still be working: its heartbeat is younger than {@link LOCK_STALE_MS}
 * and, on this host, its process exists. (The scheduler's claims use the same rule.)
 */
export function alive(holder: Holder, now: number): boolean {
  if (now - Date.parse(holder.at) > LOCK_STALE_MS) return false;
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
