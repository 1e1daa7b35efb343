/**
 * Cuts `text` at a word boundary so the result, including the trailing "…", is at most `max`
 * characters. Text that already fits is returned whole (whitespace normalised, no "…").
 */
export function excerpt(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  // Count characters, not UTF-16 units: the first `max` of them end at `end`. (Splitting the
  // whole text into an array did the same, but a build makes thousands of excerpts.)
  let end = 0;
  for (let count = 0; count < max && end < clean.length; count++)
    end += clean.codePointAt(end)! > 0xffff ? 2 : 1;
  if (end >= clean.length) return clean;
  const room = clean.slice(0, end); // max - 1 chars + "…" must fit; keep one spare
  let cut = room.slice(0, room.length - 1);
  const space = cut.lastIndexOf(' ');
  if (space > max / 3) cut = cut.slice(0, space);
  return `${cut.replace(/[\s,;:.–—-]+$/u, '')}…`;
}
