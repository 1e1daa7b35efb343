import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { ChunkContext, ChunkOutcome, OutgoingEmail, RecipientResult, Transport } from '../types.ts';
import { toMailOptions } from './smtp.ts';

/** Options of {@link createOutboxTransport}. */
export interface OutboxTransportOptions {
  /** Folder the `.eml` files go to; created when missing. */
  dir: string;
}

/**
 * Writes each email as a complete RFC 5322 message (the same MIME nodemailer would send over SMTP,
 * list headers included) to `<dir>/<file>.eml`. No network: the quick start's default. Each file is
 * written to a temporary name and renamed into place, so a reader never sees half a message, and
 * its name comes from the chunk key and the recipient, so sending a chunk again overwrites.
 */
export function createOutboxTransport(options: OutboxTransportOptions): Transport {
  async function sendChunk(emails: readonly OutgoingEmail[], ctx: ChunkContext): Promise<ChunkOutcome> {
    const results: RecipientResult[] = [];
    try {
      await mkdir(options.dir, { recursive: true });
      for (const [index, email] of emails.entries()) {
        if (ctx.signal?.aborted) throw ctx.signal.reason;
        const file = join(options.dir, outboxFileName(ctx.idempotencyKey, email.to));
        await writeAtomically(file, await new MailComposer(toMailOptions(email)).compile().build());
        results.push({ index, to: email.to, status: 'sent', providerId: file });
      }
      return { results };
    } catch (error) {
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      const code = (error as NodeJS.ErrnoException).code;
      const reason = `Cannot write to the outbox folder ${options.dir}: ${(error as Error).message}`;
      return { results, stop: { kind: 'rejected', reason, ...(code === undefined ? {} : { code }) } };
    }
  }

  return { name: 'outbox', maxChunkSize: 100, sendChunk, close: async () => {} };
}

/**
 * `<key>=<recipient>.eml`, e.g. `nyhetsbrev%2Fc1%2F3=anna@example.org.eml`. Every byte outside
 * `[A-Za-z0-9._@+-]` becomes `%XX` — `/`, `%` and the `=` separator included — so two different
 * (key, recipient) pairs never share a name.
 */
export function outboxFileName(idempotencyKey: string, to: string): string {
  return `${escapeName(idempotencyKey)}=${escapeName(to)}.eml`;
}

function escapeName(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out +=
      /[A-Za-z0-9._@+-]/.test(char) && byte < 0x80
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

async function writeAtomically(file: string, content: Buffer): Promise<void> {
  // The temporary name starts with a dot and ends in .tmp, so readers globbing *.eml skip it.
  const temp = join(file, '..', `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { flush: true });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
