import type {
  ChunkContext,
  ChunkOutcome,
  ChunkStop,
  MessageProgress,
  OutgoingEmail,
  RecipientResult,
  Transport,
} from '../types.ts';
import { sleep } from './clock.ts';

/**
 * Retry lives here, above the transports, not inside them: the deliver loop must write its ledger
 * before every attempt (`beforeAttempt`), and only it knows when to give up. Transports make one
 * attempt per call; pacing to the provider's rate limit stays inside the transport (see rate.ts),
 * so a retry can never outrun the limit either.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Backoff cap of the first retry; doubles per attempt up to `maxMs`. */
  baseMs: number;
  maxMs: number;
}

/** 8 attempts, 0.5 s doubling to at most 30 s: about two minutes of a provider outage. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseMs: 500, maxMs: 30_000 };

/**
 * Milliseconds to wait after `attempt` (1-based) failed with `stop`: "equal jitter" backoff — half
 * the capped exponential plus a random half, so retries from many senders spread out but never
 * hammer — and never less than the provider's `retry-after`.
 */
export function retryDelayMs(
  stop: Extract<ChunkStop, { kind: 'retryable' }>,
  attempt: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const backoff = cap / 2 + random() * (cap / 2);
  return Math.round(Math.max(stop.retryAfterMs ?? 0, backoff));
}

/** Hooks and knobs of {@link sendChunkWithRetry}. */
export interface RetryOptions {
  policy?: RetryPolicy;
  /** Called before every attempt, awaited: write "chunk started" to the ledger here. */
  beforeAttempt?: (attempt: number) => void | Promise<void>;
  /** Called when an attempt stopped retryably and another follows after `delayMs`. */
  onRetry?: (stop: ChunkStop, attempt: number, delayMs: number) => void;
  random?: () => number;
  /** Waits out the backoff; default `setTimeout` (tests pass a fake clock's). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Sends a chunk, retrying `retryable` stops with backoff and the same context (so Resend sees the
 * same key and, because the pending emails are the whole chunk, the same bytes). Only emails
 * without a result are sent again (an `uncertain` one has one, so it is never repeated). Returns
 * the merged outcome, indexes relative to `emails`; it still has a `stop` when the attempts ran
 * out or the stop was not retryable.
 */
export async function sendChunkWithRetry(
  transport: Transport,
  emails: readonly OutgoingEmail[],
  ctx: ChunkContext,
  options: RetryOptions = {},
): Promise<ChunkOutcome> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const results: RecipientResult[] = [];
  let pending = emails.map((email, index) => ({ email, index }));
  for (let attempt = 1; ; attempt++) {
    await options.beforeAttempt?.(attempt);
    const outcome = await transport.sendChunk(
      pending.map((p) => p.email),
      ctx.progress ? { ...ctx, progress: onPending(ctx.progress, pending) } : ctx,
    );
    const done = new Set<number>();
    for (const result of outcome.results) {
      const original = pending[result.index];
      if (!original)
        throw new Error(`${transport.name} returned a result for index ${result.index} of ${pending.length}`);
      done.add(result.index);
      results.push({ ...result, index: original.index });
    }
    pending = pending.filter((_, i) => !done.has(i));
    const stop = outcome.stop;
    if (!stop || pending.length === 0) return { results: sortByIndex(results) };
    if (stop.kind !== 'retryable' || attempt >= policy.maxAttempts)
      return { results: sortByIndex(results), stop };
    const delay = retryDelayMs(stop, attempt, policy, options.random);
    options.onRetry?.(stop, attempt, delay);
    await (options.sleep ?? sleep)(delay, ctx.signal);
  }
}

/** The progress hooks of one attempt: its indexes are positions in `pending`, the caller's in `emails`. */
function onPending(progress: MessageProgress, pending: readonly { index: number }[]): MessageProgress {
  const original = (index: number): number => {
    const entry = pending[index];
    if (!entry) throw new Error(`progress reported for index ${index} of ${pending.length}`);
    return entry.index;
  };
  return {
    start: (index) => progress.start(original(index)),
    end: (index, result) => progress.end(original(index), result && { ...result, index: original(index) }),
  };
}

function sortByIndex(results: RecipientResult[]): RecipientResult[] {
  return results.sort((a, b) => a.index - b.index);
}
