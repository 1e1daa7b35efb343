import { monthId, publicationDate } from '../scaffold/dates.ts';

/** Swedish month names, January first (lowercase, as Swedish writes them). */
export const SWEDISH_MONTHS = [
  'januari',
  'februari',
  'mars',
  'april',
  'maj',
  'juni',
  'juli',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
] as const;

const MONTH = SWEDISH_MONTHS.join('|');
/** "Mars 2023", "mars 2023", "Nyhetsbrev december 2024": a month and a four-digit year. */
const LABEL = new RegExp(`(?<![\\p{L}\\d])(${MONTH})\\s+((?:19|20)\\d\\d)(?!\\d)`, 'iu');
/** A date written out: "29 oktober 2026", "den 3 mars 2023". */
const LONG_DATE = new RegExp(`(?<!\\d)(\\d{1,2})\\s+(${MONTH})\\s+((?:19|20)\\d\\d)(?!\\d)`, 'iu');
const ISO_DATE = /(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)/;

/** The month of a Swedish month label in `text` as `YYYY-MM`, or undefined. */
export function monthOfLabel(text: string): string | undefined {
  const match = LABEL.exec(text);
  if (!match) return undefined;
  const month = SWEDISH_MONTHS.indexOf(match[1]!.toLowerCase() as (typeof SWEDISH_MONTHS)[number]);
  return monthId(Number(match[2]), month + 1);
}

/** The day the network usually publishes in `YYYY-MM` (the same day `new` picks). */
export function usualDay(month: string): string {
  return publicationDate(month);
}

/** A date `YYYY-MM-DD` written in `text` as ISO or in Swedish words; undefined if none or unreal. */
export function dateIn(text: string): string | undefined {
  const iso = ISO_DATE.exec(text);
  if (iso) return realDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const long = LONG_DATE.exec(text);
  if (!long) return undefined;
  const month = SWEDISH_MONTHS.indexOf(long[2]!.toLowerCase() as (typeof SWEDISH_MONTHS)[number]) + 1;
  return realDate(Number(long[3]), month, Number(long[1]));
}

/** `YYYY-MM-DD` of a year, month and day, or undefined when there is no such day. */
export function realDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day, 12));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return undefined;
  return date.toISOString().slice(0, 10);
}

/**
 * True for a line that only states when the issue was published ("Publicerad 29 oktober 2026",
 * "Publicerat: 2023-03-30", "Datum: 30 mars 2023"): the pipeline prints that line from `date:`.
 */
export function isDateLine(text: string): boolean {
  const flat = text.replace(/\s+/g, ' ').trim();
  const rest = flat.replace(ISO_DATE, '').replace(LONG_DATE, '');
  if (rest === flat) return false;
  return /^(?:(?:publicerad|publicerat|publiceringsdatum|datum)\s*:?\s*(?:den\s*)?)?$/iu.test(rest.trim());
}

/**
 * True for a line that is only a month label, maybe with the newsletter's name ("Mars 2023",
 * "Nyhetsbrev mars 2023", "Nyhetsbrev nr 3, mars 2023", "Utkast Mars 2023"): the pipeline prints the
 * label from `date:`.
 */
export function isLabelLine(text: string): boolean {
  const flat = text.replace(/\s+/g, ' ').trim();
  const rest = flat.replace(LABEL, '').trim();
  if (rest === flat) return false;
  // "Utkast" is the draft badge of this tool's own pages.
  return /^(?:utkast\s*)?(?:nyhetsbrev(?:et)?\s*(?:(?:nr|nummer)\.?\s*\d{1,2})?\s*[,:–—-]?)?$/iu.test(rest);
}
