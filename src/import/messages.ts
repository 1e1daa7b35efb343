import type { Point, Position } from 'unist';
import type { ImportMessage, ImportSeverity, SourcePlace } from './types.ts';

/** Options of {@link Messages.add}. */
export interface AddOptions {
  ruleId: string;
  severity?: ImportSeverity;
  /** A unist point or position in the source tree, or a place as is. */
  place?: Point | Position | SourcePlace | undefined;
  hint?: string | undefined;
  /**
   * Messages with the same key are reported one by one up to {@link REPEAT_LIMIT} times, then
   * once more as a count: a page with a `style` on every paragraph gets a dozen lines, not 300.
   */
  repeatKey?: string;
}

/** How many messages of one repeat key are listed one by one. */
export const REPEAT_LIMIT = 10;

/**
 * Collects the messages of importing one source. Places in the tree are line/column, but in a
 * Word document the line is the paragraph number (see `docx/paragraphs.ts`), so the collector
 * knows which the source is.
 */
export class Messages {
  readonly list: ImportMessage[] = [];
  readonly #repeats = new Map<
    string,
    { count: number; first: ImportMessage; last: SourcePlace | undefined }
  >();

  constructor(
    readonly file: string,
    readonly paragraphs: boolean,
  ) {}

  /** Adds a message (or counts it, past the repeat limit of its key). */
  add(reason: string, options: AddOptions): void {
    const message: ImportMessage = {
      file: this.file,
      place: this.#place(options.place),
      severity: options.severity ?? 'warning',
      reason,
      ruleId: options.ruleId,
      hint: options.hint,
    };
    if (options.repeatKey !== undefined) {
      const repeat = this.#repeats.get(options.repeatKey);
      if (repeat) {
        repeat.count++;
        repeat.last = message.place;
        if (repeat.count > REPEAT_LIMIT) return;
      } else {
        this.#repeats.set(options.repeatKey, { count: 1, first: message, last: message.place });
      }
    }
    this.list.push(message);
  }

  /** The messages, with one line per repeat key that went past the limit. */
  done(): ImportMessage[] {
    for (const { count, first, last } of this.#repeats.values()) {
      if (count <= REPEAT_LIMIT) continue;
      this.list.push({
        ...first,
        place: last,
        reason: `…and ${count - REPEAT_LIMIT} more like "${first.reason}" (the last one here)`,
      });
    }
    this.#repeats.clear();
    return this.list;
  }

  #place(place: AddOptions['place']): SourcePlace | undefined {
    if (!place) return undefined;
    if ('paragraph' in place) return place;
    const point = 'start' in place ? place.start : place;
    if (this.paragraphs) return point.line > 0 ? { paragraph: point.line } : undefined;
    return { line: point.line, column: point.column };
  }
}

/** `file:12:5`, `file.docx:paragraph 12`, or just the file. */
export function formatPlace(message: ImportMessage): string {
  const { place } = message;
  if (!place) return message.file;
  if ('paragraph' in place) return `${message.file}:paragraph ${place.paragraph}`;
  return `${message.file}:${place.line}:${place.column}`;
}

/**
 * Formats messages like `check` does: `place severity message rule-id`, a hint under each. Infos
 * are left out unless `verbose` (a count of them is given instead).
 */
export function formatImportMessages(messages: readonly ImportMessage[], { verbose = false } = {}): string {
  const lines: string[] = [];
  let infos = 0;
  for (const message of messages) {
    if (message.severity === 'info' && !verbose) {
      infos++;
      continue;
    }
    lines.push(`${formatPlace(message)} ${message.severity} ${message.reason} ${message.ruleId}`);
    if (message.hint) lines.push(`  hint: ${message.hint}`);
  }
  if (infos > 0)
    lines.push(
      `(${infos} note${infos === 1 ? '' : 's'} on what was left out as expected: --verbose lists them)`,
    );
  return lines.join('\n');
}

/** A short quote of a text for a message: the first words, at most `max` characters. */
export function quote(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return `"${flat}"`;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `"${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…"`;
}
