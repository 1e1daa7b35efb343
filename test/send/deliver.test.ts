import { describe, expect, it } from 'vitest';
import { deliver, type SendableRow } from '../../src/send/deliver.ts';
import { deliveryCounts } from '../../src/send/ledger.ts';
import { chunksIn } from '../../src/send/ledger-chunks.ts';
import { OUTBOX_CAPABILITIES } from '../../src/send/transports/index.ts';
import type { ChunkOutcome, OutgoingEmail, Transport } from '../../src/send/types.ts';
import { frozen } from './helpers.ts';

const compose = (row: SendableRow): OutgoingEmail => ({
  to: row.email,
  from: 'Nätverket <nyhetsbrev@example.org>',
  subject: 'Januarinumret',
  html: '<p>Hej</p>',
  text: 'Hej',
  headers: {},
  tags: [],
});

/** A transport without a pace of its own that answers every chunk as sent after `ms`. */
function slowTransport(ms: number) {
  const calls: { at: number; emails: number }[] = [];
  let inFlight = 0;
  let most = 0;
  const transport: Transport = {
    name: 'outbox',
    maxChunkSize: 100,
    capabilities: OUTBOX_CAPABILITIES,
    async sendChunk(emails): Promise<ChunkOutcome> {
      calls.push({ at: performance.now(), emails: emails.length });
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms));
      inFlight--;
      return {
        results: emails.map((email, index) => ({
          index,
          to: email.to,
          status: 'sent',
          providerId: `id-${index}`,
        })),
      };
    },
    close: async () => {},
  };
  return { transport, calls, most: () => most };
}

describe('the deliver loop', () => {
  it('works as many chunks at once as its concurrency, and returns only when every one is written', async () => {
    const { store, campaign } = frozen(1000);
    const { transport, calls, most } = slowTransport(40);
    const controller = new AbortController();
    const stop = await deliver({
      store,
      campaign,
      transport,
      compose,
      concurrency: 3,
      signal: controller.signal,
    });
    const returnedAt = performance.now();
    expect(stop).toBeUndefined();
    expect(most()).toBe(3);
    expect(calls).toHaveLength(10);
    expect(deliveryCounts(store, campaign.id)).toMatchObject({ sent: 1000, total: 1000 });
    expect(chunksIn(store, campaign.id, ['pending', 'started'])).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls.every((call) => call.at < returnedAt)).toBe(true);
  });

  it('rejects with the failure of one lane while others are in flight, and leaves none unhandled', async () => {
    const { store, campaign } = frozen(300);
    const { transport } = slowTransport(200);
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      let composed = 0;
      const run = deliver({
        store,
        campaign,
        transport,
        concurrency: 3,
        signal: new AbortController().signal,
        compose: (row) => {
          if (++composed === 150) throw new Error('compose bug');
          return compose(row);
        },
      });
      await expect(run).rejects.toThrow('compose bug');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
      // The chunk in flight when it failed was still written.
      expect(deliveryCounts(store, campaign.id).sent).toBeGreaterThanOrEqual(100);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('leaves a chunk unstarted when an interrupt lands while its emails are composed', async () => {
    const { store, campaign } = frozen(100);
    const { transport, calls } = slowTransport(0);
    const controller = new AbortController();
    let composed = 0;
    const stop = await deliver({
      store,
      campaign,
      transport,
      concurrency: 1,
      signal: controller.signal,
      compose: (row) => {
        if (++composed === 50) controller.abort(new Error('SIGINT'));
        return compose(row);
      },
    });
    expect(stop?.kind).toBe('interrupted');
    expect(calls).toEqual([]);
    // Nothing was handed over, so nothing is in doubt: the chunk waits for the next run as it was.
    expect(deliveryCounts(store, campaign.id)).toMatchObject({ queued: 100, sending: 0 });
    expect(chunksIn(store, campaign.id, ['pending']).map((c) => c.chunk)).toEqual([1]);
  });
});
