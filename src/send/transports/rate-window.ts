/** One request the pacer let through, while it can still count against a window. */
export interface Sent {
  /** When it was admitted. */
  admitted: number;
  /** When its head went on the wire (`sending`); undefined until then, or if never told. */
  start: number | undefined;
  /** Its transit allowance: counted from `start + transitMs`, or its response if sooner. */
  transitMs: number;
  /** When its response arrived or it failed; undefined while in flight. */
  end: number | undefined;
}

/** Where the window rule is applied: for a request whose head goes out `lead` after `now`. */
export interface WindowQuery {
  now: number;
  lead: number;
  /** Requests allowed per window. */
  limit: number;
  /** The pacer's transit allowance now (a request's own may be larger: the first window's). */
  transitMs: number;
}

/**
 * The sliding-window accounting of the pacer (rate.ts): the requests it let through that the provider
 * may still count in its window, and when each may have arrived there — the earlier of its
 * response and its start plus the transit allowance (in flight and never started: until it
 * answers). The records are the pacer's own; it fills in `start` and `end` as they happen.
 */
export class SentRequests {
  readonly #windowMs: number;
  /** Oldest first. */
  #sent: Sent[] = [];

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  add(sent: Sent): void {
    this.#sent.push(sent);
  }

  /**
   * How long until fewer than `limit` requests may have arrived within the window before the
   * new request's head: 0 if they already have, infinity when only a release can tell.
   */
  waitMs({ now, lead, limit, transitMs }: WindowQuery): number {
    // The window rule holds where it matters, at the request's head: that goes out `lead` after
    // now at the earliest. A small margin keeps timer rounding off the window's edge.
    const horizon = now + lead - this.#windowMs - 2;
    // After a fallback, requests already sent count from their responses too.
    const transit = (sent: Sent) => Math.max(sent.transitMs, transitMs);
    const arrival = (sent: Sent) =>
      Math.min(
        sent.end ?? now,
        sent.start === undefined ? Number.POSITIVE_INFINITY : sent.start + transit(sent),
      );
    this.#prune(now);
    const counted = this.#sent.filter((sent) => arrival(sent) > horizon);
    if (counted.length < limit) return 0;
    // Requests in flight that count until they answer: wait for a release.
    const frees = counted
      .map((sent) =>
        sent.end === undefined && (sent.start === undefined || !Number.isFinite(transit(sent)))
          ? Number.POSITIVE_INFINITY
          : arrival(sent),
      )
      .sort((a, b) => a - b);
    const oldest = frees[counted.length - limit]!;
    return oldest === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : oldest - horizon;
  }

  /**
   * How many of ours the provider's window can have held when `request` arrived: every one
   * admitted before it arrived (by its start + transit allowance, or now) that may have arrived
   * less than a window before it did (at the earliest, when it was admitted). Counting too few
   * only makes the pacer careful.
   */
  countedWith(request: Sent, now: number, transitMs: number): number {
    const arrivedBy =
      request.start === undefined
        ? now
        : Math.min(now, request.start + Math.max(request.transitMs, transitMs));
    return this.#sent.filter(
      (sent) => sent.admitted <= arrivedBy && (sent.end ?? now) > request.admitted - this.#windowMs,
    ).length;
  }

  /**
   * Keeps those {@link countedWith} may count for a response yet to come: in flight, or ended
   * less than a window before the turn of a request that is (or will be) in flight.
   */
  #prune(now: number): void {
    const oldestInFlight = Math.min(
      now,
      ...this.#sent.filter((s) => s.end === undefined).map((s) => s.admitted),
    );
    this.#sent = this.#sent.filter(
      (sent) => sent.end === undefined || sent.end > oldestInFlight - this.#windowMs,
    );
  }
}
