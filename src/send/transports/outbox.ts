import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type {
  ChunkContext,
  ChunkOutcome,
  OutgoingEmail,
  RecipientResult,
  Transport,
  TransportCapabilities,
} from '../types.ts';
import { toMailOptions } from './smtp.ts';

/** Options of {@link createOutboxTransport}. */
export interface OutboxTransportOptions {
  /** Folder the `.eml` files go to; created when missing. */
  dir: string;
}

/** RFC 5322 §2.1.1: a line is at most 998 characters, not counting its CRLF. */
export const MAX_LINE_LENGTH = 998;

/**
 * The outbox reaches nobody, and writing a chunk again overwrites the same files (named by
 * Message-ID): any unfinished chunk may simply be written again.
 */
export const OUTBOX_CAPABILITIES: TransportCapabilities = {
  idempotentRetry: { kind: 'always' },
  perMessage: false,
  concurrency: 1,
  needsSecret: false,
};

/**
 * Writes each email as a complete RFC 5322 message (the same MIME nodemailer would send over SMTP,
 * list headers included, every line ending in CRLF) to `<dir>/<file>.eml`, ready for a relay as it
 * is. No network: the quick start's default. Each file is written to a temporary name and renamed
 * into place, so a reader never sees half a message. Its name comes from the email's Message-ID
 * ({@link outboxFileName}), which is the same for the same delivery in every run — so sending a
 * chunk again overwrites — and names no one.
 */
export function createOutboxTransport(options: OutboxTransportOptions): Transport {
  async function sendChunk(emails: readonly OutgoingEmail[], ctx: ChunkContext): Promise<ChunkOutcome> {
    const results: RecipientResult[] = [];
    try {
      await mkdir(options.dir, { recursive: true });
      for (const [index, email] of emails.entries()) {
        if (ctx.signal?.aborted) throw ctx.signal.reason;
        const { messageId, raw } = await composeMessage(email);
        const file = join(options.dir, outboxFileName(messageId));
        await writeAtomically(file, raw);
        // The file an earlier release wrote for this delivery, named by the address. Best effort:
        // the delivery is written, and `subscribers forget` deletes such files of a person.
        await rm(join(options.dir, addressFileName(ctx.idempotencyKey, email.to)), { force: true }).catch(
          () => undefined,
        );
        results.push({ index, to: email.to, status: 'sent', providerId: file });
      }
      return { results };
    } catch (error) {
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        error instanceof MessageError
          ? error.message
          : `Cannot write to the outbox folder ${options.dir}: ${(error as Error).message}`;
      return { results, stop: { kind: 'rejected', reason, ...(code === undefined ? {} : { code }) } };
    }
  }

  return {
    name: 'outbox',
    folder: options.dir,
    maxChunkSize: 100,
    capabilities: OUTBOX_CAPABILITIES,
    sendChunk,
    close: async () => {},
  };
}

class MessageError extends Error {}

/**
 * The message as a relay wants it. nodemailer's quoted-printable leaves the body's own line breaks
 * as they are (its SMTP client fixes them on the wire; a file gets no such pass), so bare LFs and
 * CRs become CRLF here. latin1 maps bytes to characters one to one, and no byte of a UTF-8
 * sequence is a CR or LF, so nothing else changes.
 */
async function composeMessage(email: OutgoingEmail): Promise<{ messageId: string; raw: Buffer }> {
  const node = new MailComposer(toMailOptions(email)).compile();
  // An email without one (a test copy) gets nodemailer's random id, in the file and its name.
  const messageId = node.messageId();
  const lines = (await node.build()).toString('latin1').split(/\r\n|\r|\n/);
  const long = lines.find((line) => line.length > MAX_LINE_LENGTH);
  if (long !== undefined) {
    const start = long.slice(0, 40);
    throw new MessageError(
      `The email ${messageId} has a line longer than ${MAX_LINE_LENGTH} characters (RFC 5322), starting "${start}"; a relay would refuse it`,
    );
  }
  return { messageId, raw: Buffer.from(lines.join('\r\n'), 'latin1') };
}

/**
 * `<left part of the Message-ID>.eml`, e.g. `c3-1a2b3c4d.9f86d081884c7d659a2feaa0c55ad015.eml`:
 * one file per delivery, named by nothing personal. Campaign emails' ids start with the campaign
 * ref, so a campaign's files share that prefix. Every byte outside `[A-Za-z0-9._+-]` becomes `%XX`.
 */
export function outboxFileName(messageId: string): string {
  const id = messageId.replace(/^<|>$/g, '');
  const at = id.lastIndexOf('@');
  return `${escapeName(at > 0 ? id.slice(0, at) : id)}.eml`;
}

/**
 * Deletes the files releases before 2026-12 named by their recipient's address
 * (`<idempotency key>=<address>.eml`) for `address`, any case: `subscribers forget` calls it so an
 * older outbox folder does not keep the address of someone erased. Returns how many it deleted.
 */
export function removeAddressNamedFiles(dir: string, address: string): number {
  const suffix = `=${escapeName(address, ADDRESS_NAME_CHARS)}.eml`.toLowerCase();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const named = names.filter((name) => name.toLowerCase().endsWith(suffix));
  for (const name of named) rmSync(join(dir, name), { force: true });
  return named.length;
}

/** The name releases before 2026-12 gave the file of `to` in the chunk of `idempotencyKey`. */
function addressFileName(idempotencyKey: string, to: string): string {
  return `${escapeName(idempotencyKey, ADDRESS_NAME_CHARS)}=${escapeName(to, ADDRESS_NAME_CHARS)}.eml`;
}

/** The characters those names kept as they were. */
const ADDRESS_NAME_CHARS = /[A-Za-z0-9._@+-]/;

function escapeName(value: string, keep = /[A-Za-z0-9._+-]/): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += keep.test(char) && byte < 0x80 ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
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
