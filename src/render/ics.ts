import { issueUrl } from '../assemble/index.ts';
import {
  archiveCalendar,
  CALENDAR_FILE,
  issueCalendar,
  type CalendarEntry,
  type CalendarIssue,
} from '../assemble/calendar.ts';
import type { Config } from '../config/schema.ts';
import { stringsFor } from '../locale.ts';
import type { CalendarEvent } from '../model.ts';

/** The time zone of every timed event: the network meets in Swedish time. */
export const TIME_ZONE = 'Europe/Stockholm';

// Europe/Stockholm under the EU rules in force since 1996: summer time from the last Sunday of
// March 02:00 to the last Sunday of October 03:00. Every event we write is after 1996.
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${TIME_ZONE}`,
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/**
 * An iCalendar file (RFC 5545) of `entries`: one VEVENT per event, all-day events as DATE values,
 * timed ones in {@link TIME_ZONE} with its VTIMEZONE. Deterministic: DTSTAMP is the date of the
 * issue an event comes from, never the clock. Lines end in CRLF and fold at 75 octets.
 */
export function renderCalendar(entries: readonly CalendarEntry[], config: Config): string {
  const strings = stringsFor(config.locale);
  const host = new URL(config.baseUrl).host;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:-//nyhetsbrev//${text(config.newsletter)}//${config.locale.toUpperCase()}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${text(`${config.newsletter} – ${strings.calendarName}`)}`,
    `X-WR-TIMEZONE:${TIME_ZONE}`,
    ...VTIMEZONE,
    ...entries.flatMap(({ event, issue }) => {
      const url = `${issueUrl(issue.id, config)}#${encodeURIComponent(event.section)}`;
      return [
        'BEGIN:VEVENT',
        `UID:${event.uid}@${host}`,
        `DTSTAMP:${compact(issue.meta.date)}T000000Z`,
        ...times(event),
        `SUMMARY:${text(event.summary)}`,
        `DESCRIPTION:${text(`${event.text}\n${url}`)}`,
        `URL:${url}`,
        'END:VEVENT',
      ];
    }),
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

/** DTSTART/DTEND: dates for all-day events (DTEND exclusive), local times in TIME_ZONE otherwise. */
function times(event: CalendarEvent): string[] {
  const { start, end, startTime, endTime } = event;
  // A range of days with a start time only ("8–9 oktober kl. 9") has no clear end: all day.
  if (startTime === undefined || (endTime === undefined && end !== start)) {
    return [`DTSTART;VALUE=DATE:${compact(start)}`, `DTEND;VALUE=DATE:${compact(nextDay(end))}`];
  }
  const at = (date: string, time: string) => `;TZID=${TIME_ZONE}:${compact(date)}T${time.replace(':', '')}00`;
  const lines = [`DTSTART${at(start, startTime)}`];
  if (endTime !== undefined) {
    // "kl. 22.00–01.00" on one day ends the next morning.
    const endDate = end === start && endTime <= startTime ? nextDay(end) : end;
    lines.push(`DTEND${at(endDate, endTime)}`);
  }
  return lines;
}

function compact(date: string): string {
  return date.replaceAll('-', '');
}

function nextDay(date: string): string {
  const value = new Date(`${date}T12:00:00Z`);
  value.setUTCDate(value.getUTCDate() + 1);
  return value.toISOString().slice(0, 10);
}

/** A TEXT value escaped (RFC 5545 §3.3.11). */
function text(value: string): string {
  return value.replace(/[\\;,]/g, (char) => `\\${char}`).replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets (§3.1), never inside a UTF-8 character. */
function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    // Continuation lines start with a space, which counts toward their 75.
    if (octets + size > 75) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n');
}

/**
 * The calendar files of a web archive: `kalendarium.ics` at the root (see `archiveCalendar`) and
 * `<id>/kalendarium.ics` beside each page of an issue with dated Kalendarium items.
 */
export function calendarFiles(
  pages: readonly CalendarIssue[],
  published: readonly CalendarIssue[],
  config: Config,
): { path: string; content: string }[] {
  return [
    { path: CALENDAR_FILE, content: renderCalendar(archiveCalendar(published), config) },
    ...pages
      .filter((issue) => issue.events.length > 0)
      .map((issue) => ({
        path: `${issue.id}/${CALENDAR_FILE}`,
        content: renderCalendar(issueCalendar(issue), config),
      })),
  ];
}
