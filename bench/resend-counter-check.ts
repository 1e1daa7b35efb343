/**
 * The counting stub's payload work, in a worker thread of its own (bench/resend-counter.ts):
 * hashing and validating a ~7 MB batch takes tens of milliseconds, and on the stub's main thread
 * it would hold up the arrival of the next request — which is when the rate limit counts it.
 */
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { checkPayload } from '../test/support/resend-stub-rules.ts';

/** A request to check: its body and how to read it. */
export interface CheckJob {
  id: number;
  body: Uint8Array;
  batch: boolean;
  permissive: boolean;
}

/** The body's SHA-256, and the stub's reply to it or the number of valid emails and the errors. */
export interface CheckResult {
  id: number;
  hash: string;
  checked: ReturnType<typeof checkPayload>;
}

parentPort?.on('message', (job: CheckJob) => {
  const body = Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength);
  const result: CheckResult = {
    id: job.id,
    hash: createHash('sha256').update(body).digest('hex'),
    checked: checkPayload(body, job.batch, job.permissive),
  };
  parentPort?.postMessage(result);
});
