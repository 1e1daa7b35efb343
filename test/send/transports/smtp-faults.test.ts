import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import {
  createSmtpTransport,
  sendChunkWithRetry,
  type SmtpTransportOptions,
} from '../../../src/send/transports/index.ts';
import type { ChunkStop, MessageProgress, RecipientResult, Transport } from '../../../src/send/types.ts';
import { startRelay, type Relay, type RelayFaults } from '../../support/smtp-relay.ts';
import { emails } from './fixtures.ts';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function setup(
  faults: RelayFaults,
  options: Partial<SmtpTransportOptions> = {},
): Promise<{ relay: Relay; transport: Transport }> {
  const relay = await startRelay(faults);
  const transport = createSmtpTransport({
    host: '127.0.0.1',
    port: relay.port,
    secure: false,
    requireTLS: false,
    maxConnections: 2,
    ...options,
  });
  cleanup.push(
    () => relay.close(),
    () => transport.close(),
  );
  return { relay, transport };
}

/** Progress hooks that record what the transport reported, in order. */
function recorder(): MessageProgress & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    start: (index) => {
      events.push(`start ${index}`);
      return Promise.resolve(true);
    },
    end: (index, result?: RecipientResult) => void events.push(`end ${index} ${result?.status ?? 'pending'}`),
  };
}

const policy = { maxAttempts: 3, baseMs: 10, maxMs: 20 };

describe('smtp transport against a relay that drops connections', () => {
  it('never sends again a message the relay took without answering: uncertain, one copy', async () => {
    const { relay, transport } = await setup({
      data: (to, attempt) => (to === 'person-3@example.org' && attempt === 1 ? 'drop' : undefined),
    });
    const outcome = await sendChunkWithRetry(transport, emails(5), { idempotencyKey: 'k' }, { policy });
    expect(outcome.stop).toBeUndefined();
    expect(outcome.results.map((r) => [r.index, r.status])).toEqual([
      [0, 'sent'],
      [1, 'sent'],
      [2, 'sent'],
      [3, 'uncertain'],
      [4, 'sent'],
    ]);
    const uncertain = outcome.results[3];
    expect(uncertain?.status === 'uncertain' && uncertain.reason).toContain(
      'the connection to the relay ended after the message was sent',
    );
    expect(relay.copies().get('person-3@example.org')).toBe(1);
    expect([...relay.copies().values()]).toEqual([1, 1, 1, 1, 1]);
  });

  it('retries a message whose connection dropped before the reply to RCPT TO: never taken, so sent once', async () => {
    const { relay, transport } = await setup({
      rcpt: (to, attempt) => (to === 'person-1@example.org' && attempt === 1 ? 'drop' : undefined),
    });
    const stops: ChunkStop[] = [];
    const outcome = await sendChunkWithRetry(
      transport,
      emails(3),
      { idempotencyKey: 'k' },
      { policy, onRetry: (stop) => stops.push(stop) },
    );
    expect(stops).toMatchObject([{ kind: 'retryable', maybeProcessed: false }]);
    expect(outcome.results.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    expect([...relay.copies().values()]).toEqual([1, 1, 1]);
  });

  it('counts a relay that never answers the end of the message as uncertain once the socket times out', async () => {
    const never = new Promise<void>(() => undefined);
    const { relay, transport } = await setup(
      { data: (to) => (to === 'person-0@example.org' ? never : undefined) },
      { socketTimeoutMs: 300 },
    );
    const outcome = await sendChunkWithRetry(transport, emails(2), { idempotencyKey: 'k' }, { policy });
    expect(outcome.results.map((r) => [r.index, r.status])).toEqual([
      [0, 'uncertain'],
      [1, 'sent'],
    ]);
    expect(relay.copies().get('person-0@example.org')).toBe(1);
  });

  it('reports each message as it starts and ends, at most maxConnections in flight', async () => {
    const { transport } = await setup({
      rcpt: (to, attempt) => (to === 'person-2@example.org' && attempt === 1 ? 451 : undefined),
      data: (to) => (to === 'person-4@example.org' ? 'drop' : undefined),
    });
    const progress = recorder();
    let inFlight = 0;
    let most = 0;
    const counting: MessageProgress = {
      start: async (index) => {
        most = Math.max(most, ++inFlight);
        return progress.start(index);
      },
      end: (index, result) => {
        inFlight--;
        progress.end(index, result);
      },
    };
    await transport.sendChunk(emails(6), { idempotencyKey: 'k', progress: counting });
    expect(most).toBeLessThanOrEqual(2);
    const ends = progress.events.filter((e) => e.startsWith('end')).sort();
    expect(ends).toEqual([
      'end 0 sent',
      'end 1 sent',
      'end 2 pending',
      'end 3 sent',
      'end 4 uncertain',
      'end 5 sent',
    ]);
    for (let i = 0; i < 6; i++)
      expect(progress.events.indexOf(`start ${i}`)).toBeLessThan(
        progress.events.findIndex((e) => e.startsWith(`end ${i} `)),
      );
  });

  it('tells the two apart when it signs with DKIM too (the signer reads the message before DATA)', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const dkim = {
      domainName: 'example.org',
      keySelector: 'nyhetsbrev',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    const { relay, transport } = await setup(
      {
        rcpt: (to, attempt) => (to === 'person-1@example.org' && attempt === 1 ? 'drop' : undefined),
        data: (to, attempt) => (to === 'person-2@example.org' && attempt === 1 ? 'drop' : undefined),
      },
      { dkim },
    );
    const outcome = await sendChunkWithRetry(transport, emails(3), { idempotencyKey: 'k' }, { policy });
    expect(outcome.results.map((r) => r.status)).toEqual(['sent', 'sent', 'uncertain']);
    expect([...relay.copies().values()]).toEqual([1, 1, 1]);
    expect(relay.taken.every((m) => m.raw.toString('utf8').startsWith('DKIM-Signature:'))).toBe(true);
  });

  it('does not send a message whose start the ledger refused (the recipient was erased meanwhile)', async () => {
    const { relay, transport } = await setup({});
    const outcome = await transport.sendChunk(emails(3), {
      idempotencyKey: 'k',
      progress: { start: (index) => Promise.resolve(index !== 1), end: () => undefined },
    });
    expect(outcome.results.map((r) => r.index)).toEqual([0, 2]);
    expect(relay.copies().has('person-1@example.org')).toBe(false);
  });
});
