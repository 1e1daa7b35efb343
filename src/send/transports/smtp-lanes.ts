import type { ChunkContext, ChunkOutcome, ChunkStop, OutgoingEmail, RecipientResult } from '../types.ts';
import { worstStop } from './smtp-errors.ts';

/**
 * Sends a chunk one message at a time over up to `connections` lanes, each message reported
 * through `ctx.progress` as it starts and ends. Results come back in chunk order, with the worst
 * of the stops; after a stop that is not retryable no lane takes another message.
 */
export async function sendInLanes(
  emails: readonly OutgoingEmail[],
  ctx: ChunkContext,
  connections: number,
  send: (email: OutgoingEmail, index: number) => Promise<RecipientResult | ChunkStop>,
): Promise<ChunkOutcome> {
  if (ctx.signal?.aborted) throw ctx.signal.reason;
  const results: RecipientResult[] = [];
  const stops: ChunkStop[] = [];
  let next = 0;
  // One lane per connection; a lane takes the next email only when its last one has an outcome,
  // so no more than `connections` messages are ever in flight (and in doubt after a crash).
  const lane = async (): Promise<void> => {
    while (next < emails.length && !ctx.signal?.aborted && !stops.some((s) => s.kind !== 'retryable')) {
      const index = next++;
      if (ctx.progress && !(await ctx.progress.start(index))) continue;
      if (ctx.signal?.aborted) {
        ctx.progress?.end(index, undefined);
        return;
      }
      const outcome = await send(emails[index]!, index);
      if ('status' in outcome) results.push(outcome);
      else stops.push(outcome);
      ctx.progress?.end(index, 'status' in outcome ? outcome : undefined);
    }
  };
  const lanes = Math.max(1, Math.min(connections, emails.length));
  const settled = await Promise.allSettled(Array.from({ length: lanes }, lane));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  if (ctx.signal?.aborted) throw ctx.signal.reason;
  results.sort((a, b) => a.index - b.index);
  const stop = worstStop(stops);
  return stop ? { results, stop } : { results };
}
