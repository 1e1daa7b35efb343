import type { CalendarEvent, ParsedIssue } from '../model.ts';

/** The `.ics` file of an issue (beside its page) and of the whole archive (at the site root). */
export const CALENDAR_FILE = 'kalendarium.ics';

/** What a calendar needs of an issue: its id and date, and its events. */
export type CalendarIssue = Pick<ParsedIssue, 'id' | 'events'> & { meta: Pick<ParsedIssue['meta'], 'date'> };

/** An event with the issue it is taken from (for its DTSTAMP and link). */
export interface CalendarEntry {
  event: CalendarEvent;
  issue: CalendarIssue;
}

/** The events of one issue, each with the issue. */
export function issueCalendar(issue: CalendarIssue): CalendarEntry[] {
  return issue.events.map((event) => ({ event, issue }));
}

/**
 * The archive's calendar: the events of the published issues (`published`, newest first) that
 * end on or after the newest issue's date — "upcoming" as of the latest issue, never as of the
 * clock, so the same archive gives the same file. An event repeated in later issues (same UID)
 * is taken from the newest. Ordered by start, then UID.
 */
export function archiveCalendar(published: readonly CalendarIssue[]): CalendarEntry[] {
  const since = published[0]?.meta.date;
  if (since === undefined) return [];
  const byUid = new Map<string, CalendarEntry>();
  for (const issue of published) {
    for (const event of issue.events) {
      if (event.end >= since && !byUid.has(event.uid)) byUid.set(event.uid, { event, issue });
    }
  }
  return [...byUid.values()].sort((a, b) => compareEvents(a.event, b.event));
}

function compareEvents(a: CalendarEvent, b: CalendarEvent): number {
  const left = `${a.start}T${a.startTime ?? ''}`;
  const right = `${b.start}T${b.startTime ?? ''}`;
  if (left !== right) return left < right ? -1 : 1;
  return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
}

/**
 * The relative link to an issue's `.ics` file for the section `slug`: set on the Kalendarium
 * section that has dated items, undefined on every other section.
 */
export function calendarHref(issue: Pick<ParsedIssue, 'events'>, slug: string): string | undefined {
  return issue.events.some((event) => event.section === slug) ? CALENDAR_FILE : undefined;
}

/** The absolute URL of an issue's `.ics` file, for its Kalendarium section (email and text). */
export function calendarUrl(
  issue: Pick<ParsedIssue, 'events'> & { url: string },
  slug: string,
): string | undefined {
  const href = calendarHref(issue, slug);
  return href && new URL(href, issue.url).href;
}
