/**
 * Swedish dates at the start of a Kalendarium item: "26 april", "26–27 april",
 * "23 december – 6 januari", "tisdag 26 april 2027", with an optional time anywhere in the item:
 * "kl. 13.00–15.00", "kl 9–11", "klockan 13:30".
 */

/** When an item happens: dates `YYYY-MM-DD` (the end inclusive), times `HH:MM` in Swedish time. */
export interface When {
  start: string;
  end: string;
  startTime: string | undefined;
  endTime: string | undefined;
  /** The item's text after the date and its separator (`:`, `,`, a dash), e.g. the event. */
  rest: string;
}

const MONTHS: Record<string, number> = {
  januari: 1,
  jan: 1,
  februari: 2,
  feb: 2,
  mars: 3,
  mar: 3,
  april: 4,
  apr: 4,
  maj: 5,
  juni: 6,
  jun: 6,
  juli: 7,
  jul: 7,
  augusti: 8,
  aug: 8,
  september: 9,
  sep: 9,
  sept: 9,
  oktober: 10,
  okt: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};

const MONTH = `(${Object.keys(MONTHS).join('|')})\\.?(?!\\p{L})`;
const WEEKDAY = '(?:(?:mån|tis|ons|tors|fre|lör|sön)dag(?:en)?\\s+)?(?:den\\s+)?';
const DASH = '\\s*[-–—]\\s*';
const DATE_PREFIX = new RegExp(
  `^${WEEKDAY}(\\d{1,2})(?:\\s+${MONTH}(?:\\s+(\\d{4}))?)?` +
    `(?:${DASH}${WEEKDAY}(\\d{1,2})\\s+${MONTH}(?:\\s+(\\d{4}))?)?` +
    // The separator between date and event: a colon, a comma, a full stop or a spaced dash.
    `(?:\\s*[:,.]|\\s+[-–—])?\\s+`,
  'iu',
);
const TIME = /\bkl(?:\.|ockan)?\s*(\d{1,2})(?:[.:](\d{2}))?(?:\s*[-–—]\s*(\d{1,2})(?:[.:](\d{2}))?)?(?!\d)/iu;

/**
 * Reads the date (and time) of a Kalendarium item. Years left out come from the issue's date,
 * rolling into the next year for a month earlier than the issue's ("21 januari" in a November
 * issue); the end of a range rolls over from its start the same way. Undefined when the item
 * does not start with a real date followed by some text (then it stays a plain list item).
 */
export function parseWhen(text: string, issueDate: string): When | undefined {
  const match = DATE_PREFIX.exec(`${text.trim()} `);
  if (!match) return undefined;
  const [whole, day1, month1, year1, day2, month2, year2] = match;
  const rest = `${text.trim()} `.slice(whole.length).trim();
  if (!rest || (!month1 && !day2)) return undefined;
  const issueYear = Number(issueDate.slice(0, 4));
  const issueMonth = Number(issueDate.slice(5, 7));

  const startMonth = MONTHS[(month1 ?? month2)!.toLowerCase()]!;
  const startYear = year1 ? Number(year1) : issueYear + (startMonth < issueMonth ? 1 : 0);
  const start = isoDate(startYear, startMonth, Number(day1));
  let end = start;
  if (day2) {
    const endMonth = MONTHS[month2!.toLowerCase()]!;
    const endYear = year2 ? Number(year2) : startYear + (endMonth < startMonth ? 1 : 0);
    end = isoDate(endYear, endMonth, Number(day2));
  }
  if (!start || !end || end < start) return undefined;

  const time = TIME.exec(rest);
  if (!time) return { start, end, startTime: undefined, endTime: undefined, rest };
  const startTime = clock(time[1]!, time[2]);
  const endTime = time[3] === undefined ? undefined : clock(time[3], time[4]);
  if (!startTime || endTime === '') return undefined;
  return { start, end, startTime, endTime, rest };
}

/** `YYYY-MM-DD`, or undefined when that day does not exist (31 april). */
function isoDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/** `HH:MM`, or `''` for a time that does not exist (25.00, 9.75). */
function clock(hours: string, minutes = '00'): string {
  const h = Number(hours);
  const m = Number(minutes);
  if (h > 23 || m > 59) return '';
  return `${String(h).padStart(2, '0')}:${minutes.padStart(2, '0')}`;
}
