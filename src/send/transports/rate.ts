import diagnostics from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { monotonicClock, type MonotonicClock } from './clock.ts';
import { SentRequests, type Sent } from './rate-window.ts';

/** Knobs of a {@link Pacer}. */
export interface PacerOptions {
  /** Length of the provider's rate window. Resend's limit is per second. */
  windowMs?: number;
  /** Our own ceiling on requests per window, applied on top of what the provider announces. */
  maxPerWindow?: number | undefined;
  /** Requests allowed per window before the first response told us the limit. */
  initialLimit?: number;
  /**
   * How long after it starts a request is taken to have reached the provider, which counts it on
   * arrival. A request's window is counted from `start + transitMs` (or its response, if
   * sooner). Each 429 doubles it; past half a window, or after a `ratelimit-remaining` lower
   * than our own requests explain, windows count from responses. Default 30 ms.
   */
  transitMs?: number;
  /** Where time comes from; default the process's (tests pass a fake one). */
  clock?: MonotonicClock | undefined;
}

/** How late a start may be and still keep its slot's place in the even spacing. */
const SLOT_TOLERANCE_MS = 5;

/** Resend's quota errors are 429s too, but say nothing about pace. */
const QUOTA_CODES = new Set(['daily_quota_exceeded', 'monthly_quota_exceeded']);

/** The longest the pacer waits on a provider's word (a timer cannot take more than ~24 days). */
const MAX_BLOCK_MS = 60_000;

/** The transit allowance of the first window's requests. */
const FIRST_WINDOW_TRANSIT_MS = 60;

/**
 * Every request the pacer let through, once it is over: a {@link PacedRequest}. For tracing the
 * pace (bench/pace-trace.ts); nothing is published while no one listens.
 */
export const paced = diagnostics.channel('nyhetsbrev:paced');

/** A request as published on {@link paced}: the pacer clock's times (`performance.now()`) of the sending process. */
export interface PacedRequest {
  admitted: number;
  start: number | undefined;
  end: number;
  transitMs: number;
  /** `performance.timeOrigin` of the process, to compare times with another process's. */
  origin: number;
}

/** How many recent turn-to-hand-over lags the lead is taken from (see {@link Pacer}). */
const LAGS_KEPT = 16;

/** The longest lead: a lag longer than this is a stall, not the usual set-up. */
const MAX_LEAD_MS = 10;

/** Response headers as the Resend SDK hands them over: lower-case names. */
export type ResponseHeaders = Record<string, string> | null | undefined;

/** A reserved request (see {@link Pacer.acquire}). */
export interface PacerTicket {
  /**
   * To be awaited just before the request is handed to the HTTP client. For a ticket taken with
   * `lead` it records how long after its turn that came — what later turns may come early by —
   * and, should this one have come sooner than its lead assumed, waits until the window allows
   * the request with no lead at all: a lead never lets a request go early. Else at once.
   */
  handOver(): Promise<void>;
  /**
   * The request's head is going on the wire now (the connection is open). Until this is called
   * the request counts as arriving at its response, which is always safe; from here it counts
   * from now plus the transit allowance.
   */
  sending(): void;
  /** Learns from the response's headers and status (call before `release`). */
  answered(headers: ResponseHeaders, status?: number, code?: string): void;
  /** The request is over: answered, failed or aborted. Idempotent. */
  release(): void;
}

/**
 * Keeps requests under a provider's rate limit, learned from the IETF draft-06 headers Resend
 * sends (`ratelimit-limit`, `ratelimit-remaining`, `ratelimit-reset`) and `retry-after` on 429.
 *
 * The provider counts a request when it arrives: after our start, before our response. A new
 * request may start only when fewer than `limit` earlier requests may have arrived within the
 * last window, where a request's arrival is taken as the earlier of its response and `start +
 * transitMs` (in flight: counted until then, and on); `start` is when its first bytes go out.
 * Counting from responses alone is always safe but leaves one round trip per window unused — a
 * 100-email batch takes 50–500 ms to upload and process, 5–50 % of Resend's 1 s window. So starts
 * count (the first window's with 60 ms: a provider that has just started, or woken, handles its
 * first requests slowly and may notice the next ones late), spread evenly
 * over the window, never in bursts, so requests do not queue at the provider and arrive soon
 * after they start. Between a first attempt's turn and its start the caller writes its ledger
 * (an fsync) and sets the request up, and that lag would add to every window; so for tickets
 * taken with `lead` the rule is applied at `now + lead`, the shortest of the latest such tickets'
 * turn-to-hand-over lags, and `handOver` holds back the rare request that comes sooner until the
 * window allows it without (retries, which write less, take no lead). Before the first answer
 * `initialLimit` requests may go, unspaced. The pacer checks itself against the provider: a 429
 * means a request arrived later than assumed — it waits out `retry-after` and doubles the transit allowance (a 429 is
 * refused unprocessed, so an optimistic start costs at worst one repeated request and a pause);
 * and every response's `ratelimit-remaining` says how many requests the provider counted in its
 * window — when that is more than ours could be (another sender on the same team), it waits out
 * `ratelimit-reset` and counts from responses for the rest of its life.
 */
export class Pacer {
  readonly #clock: MonotonicClock;
  readonly #windowMs: number;
  readonly #ceiling: number;
  #limit: number;
  #transitMs: number;
  /** Requests that may still count in the provider's window, or among ours in `#learn`. */
  readonly #sent: SentRequests;
  #blockedUntil = 0;
  #answered = 0;
  /** The slot of the latest start in the even spacing of starts (its time, give or take a timer). */
  #slot = Number.NEGATIVE_INFINITY;
  #waiters = new Set<() => void>();
  /** The latest turn-to-hand-over lags of tickets taken with `lead` (the ledger write), oldest first. */
  #lags: number[] = [];

  constructor(options: PacerOptions = {}) {
    this.#clock = options.clock ?? monotonicClock;
    this.#windowMs = options.windowMs ?? 1000;
    this.#ceiling = options.maxPerWindow ?? Number.POSITIVE_INFINITY;
    this.#limit = wholeLimit(options.initialLimit ?? 1, this.#ceiling);
    const transitMs = options.transitMs ?? 30;
    // An allowance past half a window is no better than counting from responses.
    this.#transitMs = transitMs > this.#windowMs / 2 ? Number.POSITIVE_INFINITY : transitMs;
    this.#sent = new SentRequests(this.#windowMs);
  }

  /** The requests per window currently enforced. */
  get limit(): number {
    return this.#limit;
  }

  /** False once the provider showed that counting from starts is unsafe: windows count from responses. */
  get optimistic(): boolean {
    return Number.isFinite(this.#transitMs);
  }

  /**
   * Waits until a request may start and reserves it. Rejects with `signal.reason` when the
   * signal aborts.
   */
  async acquire(signal?: AbortSignal, { lead = false }: { lead?: boolean } = {}): Promise<PacerTicket> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const wait = this.#waitMs(this.#clock.now(), lead ? this.#lead() : 0);
      if (wait === 0) break;
      await this.#changeOr(wait, signal);
    }
    // The first window's requests get more: a provider that has just started (or woken) handles
    // its first requests slowly and may notice the next ones late.
    const transitMs =
      this.#answered >= this.#limit ? this.#transitMs : Math.max(this.#transitMs, FIRST_WINDOW_TRANSIT_MS);
    const sent: Sent = { admitted: this.#clock.now(), start: undefined, transitMs, end: undefined };
    // With a lead the window was checked at now + lead: the request may be handed over when the
    // window allows it with none (at the latest now + lead), never before.
    const due = lead ? sent.admitted + Math.min(this.#waitMs(sent.admitted, 0), MAX_LEAD_MS) : sent.admitted;
    // Slots follow each other at the spacing, not at whenever a timer fired (a few ms late
    // each time, which would add up); after a pause no more than one slot is made up.
    this.#slot = Math.max(this.#slot + this.#spacing(), sent.admitted - SLOT_TOLERANCE_MS);
    this.#sent.add(sent);
    return this.#ticket(sent, lead, due);
  }

  /** The ticket of an admitted request, to be handed over no sooner than `due`. */
  #ticket(sent: Sent, lead: boolean, due: number): PacerTicket {
    let handed = false;
    return {
      handOver: async () => {
        const now = this.#clock.now();
        if (lead && !handed) {
          this.#lags.push(now - sent.admitted);
          if (this.#lags.length > LAGS_KEPT) this.#lags.shift();
        }
        handed = true;
        if (due > now) await this.#clock.sleep(due - now);
      },
      sending: () => {
        if (sent.end === undefined && sent.start === undefined) sent.start = this.#clock.now();
      },
      answered: (headers, status, code) => {
        this.#answered++;
        this.#learn(sent, headers, status, code);
        this.#wake();
      },
      release: () => {
        if (sent.end !== undefined) return;
        sent.end = this.#clock.now();
        if (paced.hasSubscribers) paced.publish({ ...sent, origin: performance.timeOrigin });
        this.#wake();
      },
    };
  }

  /** Resolves after `ms`, or sooner when a response or release may let a waiting request start. */
  async #changeOr(ms: number, signal: AbortSignal | undefined): Promise<void> {
    const change = new AbortController();
    const wake = () => change.abort();
    this.#waiters.add(wake);
    const either = signal ? AbortSignal.any([signal, change.signal]) : change.signal;
    try {
      await (Number.isFinite(ms) ? this.#clock.sleep(ms, either) : aborted(either));
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!change.signal.aborted) throw error;
    } finally {
      this.#waiters.delete(wake);
    }
  }

  #wake(): void {
    for (const wake of [...this.#waiters]) wake();
  }

  #learn(
    request: Sent,
    headers: ResponseHeaders,
    status: number | undefined,
    code: string | undefined,
  ): void {
    const now = this.#clock.now();
    const limit = headerNumber(headers, 'ratelimit-limit');
    if (limit !== undefined && limit >= 1) this.#limit = wholeLimit(limit, this.#ceiling);
    const retryAfter = headerNumber(headers, 'retry-after');
    if (status === 429 && !QUOTA_CODES.has(code ?? '')) {
      // Counted too soon: allow twice the transit from now on, and past half a window give up
      // on starts and count from responses (always safe).
      this.#transitMs *= 2;
      if (this.#transitMs > this.#windowMs / 2) this.#transitMs = Number.POSITIVE_INFINITY;
      const ms = retryAfter === undefined ? this.#windowMs : retryAfter * 1000;
      this.#blockedUntil = Math.max(this.#blockedUntil, now + Math.min(ms, MAX_BLOCK_MS));
      return;
    }
    // A quota or a busy provider (503 + retry-after) is the retry policy's business, not pace.
    if (status !== undefined && status >= 400) return;
    const remaining = headerNumber(headers, 'ratelimit-remaining');
    const reset = headerNumber(headers, 'ratelimit-reset');
    if (remaining === undefined || limit === undefined) return;
    // The provider's window at this request's arrival held `limit - remaining` requests.
    if (limit - remaining > this.#sent.countedWith(request, now, this.#transitMs)) {
      // Someone else uses the same limit (another sender on the team; or, just after a resume,
      // the requests of the run before): count from responses, and wait out a full window.
      this.#transitMs = Number.POSITIVE_INFINITY;
      if (remaining <= 0 && reset !== undefined)
        this.#blockedUntil = Math.max(this.#blockedUntil, now + Math.min(reset * 1000, MAX_BLOCK_MS));
    }
  }

  /**
   * Spaced so that `limit` starts take a whole window plus the transit allowance. The first
   * window's requests, before any answer told the limit, are not spaced: there are at most
   * `initialLimit` of them, too few to queue at the provider.
   */
  #spacing(): number {
    if (this.#answered === 0) return 0;
    const slack = Number.isFinite(this.#transitMs) ? this.#transitMs + 2 : 0;
    return (this.#windowMs + slack) / this.#limit;
  }

  /**
   * How long after its turn a request taken with `lead` is usually handed over at the least: the
   * shortest of the latest such lags, at most {@link MAX_LEAD_MS}; nothing while fewer than four
   * are known, or once windows count from responses. (`handOver` holds back one that comes
   * sooner, so this is a guess that costs a short wait when wrong, never the window.)
   */
  #lead(): number {
    if (this.#lags.length < 4 || !this.optimistic) return 0;
    return Math.min(MAX_LEAD_MS, ...this.#lags);
  }

  #waitMs(now: number, lead: number): number {
    if (now < this.#blockedUntil) return this.#blockedUntil - now;
    // Evenly spaced starts: a burst would queue at the provider, and a request that waits there
    // arrives later than its start + transit — where the next window's first request may overtake
    // it. Spaced so that `limit` starts take a whole window plus the transit allowance.
    const next = this.#slot + this.#spacing();
    if (now < next) return next - now;
    return this.#sent.waitMs({ now, lead, limit: this.#limit, transitMs: this.#transitMs });
  }
}

/** Rejects when the signal aborts; never resolves. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

/** The limit in force: whole requests, at least one (a ceiling of 2.5/s allows 2). */
function wholeLimit(limit: number, ceiling: number): number {
  return Math.max(1, Math.floor(Math.min(limit, ceiling)));
}

function headerNumber(headers: ResponseHeaders, name: string): number | undefined {
  const raw = headers?.[name];
  if (raw === undefined) return undefined;
  // draft-06 allows a list ("10, 10;w=1"); the first item is the one in force.
  const value = Number.parseFloat(raw.split(',')[0] ?? '');
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}
