import { performance } from 'node:perf_hooks';
import { sleep } from './retry.ts';

/** Knobs of a {@link Pacer}. */
export interface PacerOptions {
  /** Length of the provider's rate window. Resend's limit is per second. */
  windowMs?: number;
  /** Our own ceiling on requests per window, applied on top of what the provider announces. */
  maxPerWindow?: number | undefined;
  /** Requests allowed per window before the first response told us the limit. */
  initialLimit?: number;
}

/** Response headers as the Resend SDK hands them over: lower-case names. */
export type ResponseHeaders = Record<string, string> | null | undefined;

/**
 * Keeps requests under a provider's rate limit, learned from the IETF draft-06 headers Resend
 * sends (`ratelimit-limit`, `ratelimit-remaining`, `ratelimit-reset`) and `retry-after` on 429.
 *
 * Why windows are measured from *responses*: the provider counts a request when it arrives, which
 * is somewhere between our start and our response. A new request may start only when fewer than
 * `limit` requests are in flight or finished within the last window; then for any `limit + 1`
 * requests the last one starts at least a window after an earlier one's response — after its
 * arrival — so no window at the provider ever holds more than `limit`. Throughput stays near the
 * limit because the only slack is one round trip per window.
 */
export class Pacer {
  readonly #windowMs: number;
  readonly #ceiling: number;
  #limit: number;
  #inFlight = 0;
  /** Release times of recent requests, oldest first. */
  #released: number[] = [];
  #blockedUntil = 0;
  #remaining: number | undefined;
  #resetAt = 0;
  #waiters = new Set<() => void>();

  constructor(options: PacerOptions = {}) {
    this.#windowMs = options.windowMs ?? 1000;
    this.#ceiling = options.maxPerWindow ?? Number.POSITIVE_INFINITY;
    this.#limit = Math.min(options.initialLimit ?? 1, this.#ceiling);
  }

  /** The requests per window currently enforced. */
  get limit(): number {
    return this.#limit;
  }

  /**
   * Waits until a request may start and reserves it. Call the returned function once the response
   * has arrived or the request failed. Rejects with `signal.reason` when the signal aborts.
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const now = performance.now();
      const wait = this.#waitMs(now);
      if (wait === 0) break;
      if (wait === Number.POSITIVE_INFINITY) {
        await new Promise<void>((resolve, reject) => {
          this.#waiters.add(resolve);
          signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
        });
      } else {
        await sleep(wait, signal);
      }
    }
    this.#inFlight++;
    if (this.#remaining !== undefined) this.#remaining--;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight--;
      this.#released.push(performance.now());
      for (const wake of this.#waiters) wake();
      this.#waiters.clear();
    };
  }

  /** Learns from a response's headers (call before releasing its reservation). */
  update(headers: ResponseHeaders, status?: number): void {
    const now = performance.now();
    const limit = headerNumber(headers, 'ratelimit-limit');
    if (limit !== undefined && limit >= 1) this.#limit = Math.min(limit, this.#ceiling);
    const remaining = headerNumber(headers, 'ratelimit-remaining');
    const reset = headerNumber(headers, 'ratelimit-reset');
    if (remaining !== undefined && reset !== undefined) {
      this.#remaining = remaining;
      this.#resetAt = now + reset * 1000;
    }
    const retryAfter = headerNumber(headers, 'retry-after');
    if (status === 429 || retryAfter !== undefined) {
      const ms = retryAfter === undefined ? this.#windowMs : retryAfter * 1000;
      this.#blockedUntil = Math.max(this.#blockedUntil, now + ms);
    }
  }

  #waitMs(now: number): number {
    if (now < this.#blockedUntil) return this.#blockedUntil - now;
    if (this.#remaining !== undefined && this.#remaining <= 0 && now < this.#resetAt)
      return this.#resetAt - now;
    // A small margin keeps timer rounding from landing exactly on the window edge.
    const horizon = now - this.#windowMs - 2;
    while (this.#released.length > 0 && this.#released[0]! <= horizon) this.#released.shift();
    if (this.#inFlight + this.#released.length < this.#limit) return 0;
    const oldest = this.#released[0];
    return oldest === undefined ? Number.POSITIVE_INFINITY : oldest - horizon;
  }
}

function headerNumber(headers: ResponseHeaders, name: string): number | undefined {
  const raw = headers?.[name];
  if (raw === undefined) return undefined;
  // draft-06 allows a list ("10, 10;w=1"); the first item is the one in force.
  const value = Number.parseFloat(raw.split(',')[0] ?? '');
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}
