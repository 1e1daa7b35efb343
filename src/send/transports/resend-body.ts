import type { OutgoingEmail, SharedContent } from '../types.ts';

/**
 * The JSON body of a batch: an array of emails with the SDK's field names in the SDK's order
 * (`from, headers, html, reply_to, subject, tags, text, to`), headers sorted by name — the bytes
 * `JSON.stringify` of the SDK's payload would give — as UTF-8 pieces to write one after another.
 * For an email made of shared parts (`personal`) the parts are JSON-encoded once per campaign and
 * appear as the same buffers in every email; only the recipient's values are encoded per email.
 * So a request allocates kilobytes, not a ~7 MB body (and fetch a second copy of it).
 */
export function batchBody(emails: readonly OutgoingEmail[]): { pieces: Buffer[]; length: number } {
  const body = new Pieces('[');
  emails.forEach((email, index) => writeEmail(body, email, index));
  body.text(']');
  return body.end();
}

/** One email of the batch as a JSON object, after a comma unless it is the first. */
function writeEmail(body: Pieces, email: OutgoingEmail, index: number): void {
  const headers = Object.fromEntries(
    Object.entries(email.headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  body.text(
    `${index > 0 ? ',' : ''}{"from":${JSON.stringify(email.from)},"headers":${JSON.stringify(headers)},"html":`,
  );
  writeContent(body, email, 'html');
  const replyTo = email.replyTo === undefined ? '' : `,"reply_to":${JSON.stringify(email.replyTo)}`;
  const tags = JSON.stringify(email.tags.map(({ name, value }) => ({ name, value })));
  body.text(`${replyTo},"subject":${JSON.stringify(email.subject)},"tags":${tags},"text":`);
  writeContent(body, email, 'text');
  body.text(`,"to":${JSON.stringify(email.to)}}`);
}

/** The HTML or text of an email as a JSON string: its shared parts as the campaign's buffers. */
function writeContent(body: Pieces, email: OutgoingEmail, field: 'html' | 'text'): void {
  if (!email.personal) return body.text(JSON.stringify(email[field]));
  const { shared, values } = email.personal;
  const parts = encodedParts(shared)[field];
  const slots = field === 'html' ? shared.htmlSlots : shared.textSlots;
  body.text('"');
  parts.forEach((part, index) => {
    if (index > 0) body.text(JSON.stringify(values[field][slots[index - 1]!]).slice(1, -1));
    body.buffer(part);
  });
  body.text('"');
}

/** A body being written: small text gathers in a string, encoded once before the next buffer. */
class Pieces {
  readonly #pieces: Buffer[] = [];
  #length = 0;
  #small: string;

  constructor(text: string) {
    this.#small = text;
  }

  text(text: string): void {
    this.#small += text;
  }

  buffer(piece: Buffer): void {
    if (this.#small) {
      const text = Buffer.from(this.#small, 'utf8');
      this.#pieces.push(text);
      this.#length += text.length;
      this.#small = '';
    }
    this.#pieces.push(piece);
    this.#length += piece.length;
  }

  end(): { pieces: Buffer[]; length: number } {
    this.buffer(Buffer.alloc(0));
    return { pieces: this.#pieces, length: this.#length };
  }
}

/** The batch body in one buffer (what goes over the wire, for tests and hashing). */
export function encodeBatch(emails: readonly OutgoingEmail[]): Buffer {
  const { pieces, length } = batchBody(emails);
  return Buffer.concat(pieces, length);
}

/**
 * Pieces as a request body stream (a plain, not a byte stream: fetch neither copies nor detaches
 * its chunks — measured: 9 ms of CPU per 7 MB request and no growth in memory, against 11 ms for
 * one joined buffer, which fetch copies once more, and 20 ms for an async iterable).
 */
export function streamOf(pieces: readonly Buffer[]): ReadableStream<Uint8Array> {
  const chunks = pieces.filter((piece) => piece.length > 0);
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
}

const encoded = new WeakMap<SharedContent, { html: Buffer[]; text: Buffer[] }>();

/** A campaign's shared parts as JSON string contents in UTF-8, made once per campaign. */
function encodedParts(shared: SharedContent): { html: Buffer[]; text: Buffer[] } {
  let parts = encoded.get(shared);
  if (!parts) {
    const encode = (part: string) => Buffer.from(JSON.stringify(part).slice(1, -1), 'utf8');
    parts = { html: shared.html.map(encode), text: shared.text.map(encode) };
    encoded.set(shared, parts);
  }
  return parts;
}
