/** Plain-text lines are wrapped at this many characters (RFC 5322 recommends ≤ 78). */
export const TEXT_WIDTH = 78;

/**
 * Greedy word wrap of `text` to `width` characters per line, each line starting with `first`
 * (first line) or `rest` (following lines). A word longer than the room (a long URL) is kept whole
 * on its own line rather than broken, so it stays clickable. No-break spaces do not break.
 */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  const words = text.split(/[ \t\n\r]+/).filter(Boolean);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    const candidate = empty ? line + word : `${line} ${word}`;
    if (empty || length(candidate) <= width) {
      line = candidate;
      empty = false;
    } else {
      lines.push(line);
      line = rest + word;
    }
  }
  if (!empty) lines.push(line);
  return lines;
}

/** Length in characters (code points), which is what mail clients count. */
export function length(text: string): number {
  return Array.from(text).length;
}
