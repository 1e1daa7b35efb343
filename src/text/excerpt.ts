/**
 * Cuts `text` at a word boundary so the result, including the trailing "…", is at most `max`
 * characters. Text that already fits is returned whole (whitespace normalised, no "…").
 */
export function excerpt(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(clean); // count characters, not UTF-16 units
  if (chars.length <= max) return clean;
  const room = chars.slice(0, max).join(''); // max - 1 chars + "…" must fit; keep one spare
  let cut = room.slice(0, room.length - 1);
  const space = cut.lastIndexOf(' ');
  if (space > max / 3) cut = cut.slice(0, space);
  return `${cut.replace(/[\s,;:.–—-]+$/u, '')}…`;
}
