/**
 * The counting stub's payload work, in a worker thread of its own (bench/resend-counter.ts):
 * hashing and validating a ~7 MB batch takes tens of milliseconds, and on the stub's main thread
 * it would hold up the arrival of the next request — which is when the rate limit counts it.
 *
 * Every request is hashed (idempotency) and parsed; one in {@link FULL_CHECK_EVERY} — the first
 * among them — is also validated email by email as the test stub does. Decoding ~7 MB of UTF-8
 * for that takes ~25 ms, and on two shared cores the provider's CPU is the sender's too. The
 * others are parsed from their bytes as Latin-1, which gives the same JSON structure (every byte
 * of a multi-byte UTF-8 character is ≥ 0x80, none is JSON syntax) for a fifth of the time, and
 * are taken as valid: they come from the same code as the validated ones.
 */
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { checkPayload, errorReply, type StubReply } from '../test/support/resend-stub-rules.ts';

/** Validate one request in this many in full (see the file's comment). */
export const FULL_CHECK_EVERY = 10;

/** A request to check: its body and how to read it. */
export interface CheckJob {
  id: number;
  body: Uint8Array;
  batch: boolean;
  permissive: boolean;
  /** Validate every email (else parse only). */
  full: boolean;
}

/** The body's SHA-256, and the stub's reply to it or the number of valid emails and the errors. */
export interface CheckResult {
  id: number;
  hash: string;
  checked: StubReply | { valid: number; errors: { index: number; message: string }[] };
}

parentPort?.on('message', (job: CheckJob) => {
  const body = Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength);
  const result: CheckResult = {
    id: job.id,
    hash: createHash('sha256').update(body).digest('hex'),
    checked: job.full ? counted(checkPayload(body, job.batch, job.permissive)) : countOnly(body, job.batch),
  };
  parentPort?.postMessage(result);
});

function counted(checked: ReturnType<typeof checkPayload>): CheckResult['checked'] {
  return 'status' in checked ? checked : { valid: checked.valid.length, errors: checked.errors };
}

/** The batch parsed for its structure only: every email taken as valid. */
function countOnly(body: Buffer, batch: boolean): CheckResult['checked'] {
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('latin1'));
  } catch {
    return errorReply(400, 'validation_error', 'The request body is not valid JSON.');
  }
  const emails: unknown = batch ? payload : [payload];
  // A malformed batch gets the full check's exact answer.
  if (!Array.isArray(emails) || emails.length === 0 || emails.length > 100)
    return counted(checkPayload(body, batch, true));
  return { valid: emails.length, errors: [] };
}
