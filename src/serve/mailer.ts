import { sendChunkWithRetry, type RetryPolicy } from '../send/transports/retry.ts';
import type { OutgoingEmail, Transport } from '../send/types.ts';

/**
 * Sends transactional emails (confirmation links) in the background, one at a time, so a
 * subscribe response never waits for the provider: its timing then says nothing about whether an
 * email was sent (no enumeration by response time). `idle()` resolves when the queue is empty
 * (graceful shutdown and tests wait for it).
 */
export interface Mailer {
  /**
   * Queues one email, built (rendered) in the background too. `key` is the transport's
   * idempotency key: a retry overwrites, never doubles.
   */
  enqueue(key: string, build: () => Promise<OutgoingEmail>): void;
  /** Resolves once every queued email has been handed to the transport (or given up on). */
  idle(): Promise<void>;
  /** Gives up on queued and retrying emails (shutdown deadline passed); `idle()` then resolves soon. */
  abort(): void;
}

/** A few quick retries: the person is waiting for the email, and can always send the form again. */
const MAIL_RETRY: RetryPolicy = { maxAttempts: 4, baseMs: 500, maxMs: 5_000 };

/**
 * A {@link Mailer} over a transport. Failures are logged by kind only (no address): the person
 * can fill in the form again, and nothing else depends on the email.
 */
export function createMailer(transport: Transport, log: (line: string) => void): Mailer {
  const controller = new AbortController();
  let queue: Promise<void> = Promise.resolve();
  let pending = 0;
  const send = async (key: string, build: () => Promise<OutgoingEmail>): Promise<void> => {
    if (controller.signal.aborted) return log('confirmation email not sent: shutting down');
    try {
      const email = await build();
      const outcome = await sendChunkWithRetry(
        transport,
        [email],
        { idempotencyKey: key, signal: controller.signal },
        { policy: MAIL_RETRY },
      );
      if (outcome.stop)
        log(`confirmation email not sent: ${outcome.stop.kind} ${outcome.stop.code ?? ''}`.trim());
      else if (outcome.results[0]?.status === 'failed') log('confirmation email refused for its recipient');
    } catch (error) {
      log(
        `confirmation email not sent: ${controller.signal.aborted ? 'shutting down' : (error as Error).name}`,
      );
    }
  };
  return {
    enqueue(key, build) {
      pending++;
      queue = queue.then(() => send(key, build)).finally(() => void pending--);
    },
    async idle() {
      while (pending > 0) await queue;
    },
    abort: () => controller.abort(new Error('nyhetsbrev serve is shutting down')),
  };
}
