import type { VFile } from 'vfile';
import type { Point, Position } from 'unist';

/** Severity of a content problem: errors stop build and send; warnings do not (unless `--frail`). */
export type Severity = 'error' | 'warning' | 'info';

/** Where and what: the rule id is permanent and listed in README. */
export interface ReportOptions {
  ruleId: string;
  severity?: Severity;
  place?: Point | Position | undefined;
  /** What to do about it. */
  hint?: string;
}

/**
 * Adds a message to `file` (STYLE §3: content problems are messages, not exceptions).
 * `fatal: true` marks an error, `false` a warning, `undefined` an info (vfile's convention).
 */
export function report(file: VFile, reason: string, options: ReportOptions): void {
  const message = file.message(reason, {
    ruleId: options.ruleId,
    source: 'nyhetsbrev',
    ...(options.place ? { place: options.place } : {}),
  });
  const severity = options.severity ?? 'error';
  message.fatal = severity === 'error' ? true : severity === 'warning' ? false : undefined;
  if (options.hint) message.note = options.hint;
}

/** True when any of the files carries an error. */
export function hasErrors(files: readonly VFile[]): boolean {
  return files.some((file) => file.messages.some((message) => message.fatal === true));
}

/** Converts a 0-based offset in `text` to a 1-based line/column point. */
export function pointAt(text: string, offset: number): Point {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text.charCodeAt(index) === 10) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}
