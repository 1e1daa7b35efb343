import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ISSUE_FIXTURES } from '../support/spine.ts';
import { buildWeb } from './site.ts';

// The kalendarium fixture: 2026-10 and 2026-11 (dated 26 November 2026), see its README row.
let site: string;
const read = (path: string) => readFileSync(join(site, path), 'utf8');

beforeAll(async () => {
  ({ site } = await buildWeb(join(ISSUE_FIXTURES, 'kalendarium'), { cache: false }));
});

interface Parsed {
  uid: string;
  summary: string;
  allDay: boolean;
  /** All day: `YYYY-MM-DD` (end exclusive). Timed: the instant in UTC. */
  start: string;
  end: string | undefined;
}

/** Parses an .ics file with ical.js, its VTIMEZONEs registered so local times become instants. */
function parseCalendar(text: string): { calendar: ICAL.Component; events: Parsed[] } {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const events = calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    const value = (time: ICAL.Time) =>
      time.isDate ? time.toString() : time.toJSDate().toISOString().replace('.000', '');
    return {
      uid: event.uid,
      summary: event.summary,
      allDay: event.startDate.isDate,
      start: value(event.startDate),
      end: component.hasProperty('dtend') ? value(event.endDate) : undefined,
    };
  });
  return { calendar, events };
}

/** The UTC instant of a wall-clock time in Stockholm, by the time-zone database (Intl). */
function stockholm(date: string, time: string): string {
  const guess = new Date(`${date}T${time}:00Z`);
  const offset = (instant: Date) => {
    const name = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Stockholm', timeZoneName: 'longOffset' })
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')!.value;
    return Number(name.slice(4, 6));
  };
  return new Date(guess.getTime() - offset(guess) * 3_600_000).toISOString().replace('.000', '');
}

describe('an issue’s kalendarium.ics', () => {
  it('round-trips every dated item through ical.js: ranges, the new year, summer and winter time', () => {
    const { calendar, events } = parseCalendar(read('2026-11/kalendarium.ics'));
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid')).toBe(
      'Europe/Stockholm',
    );
    expect(events.map(({ summary, allDay, start, end }) => ({ summary, allDay, start, end }))).toEqual([
      {
        summary: 'Nätverkets höstkonferens i Göteborg',
        allDay: true,
        start: '2026-11-26',
        end: '2026-11-28',
      },
      {
        summary: 'Forumet för digitalisering, digitalt möte kl. 13.00–15.00',
        allDay: false,
        start: '2026-12-03T12:00:00Z',
        end: '2026-12-03T14:00:00Z',
      },
      { summary: 'Kansliet har stängt', allDay: true, start: '2026-12-23', end: '2027-01-07' },
      { summary: 'Expertgrupp juridik', allDay: true, start: '2027-04-26', end: '2027-04-27' },
      {
        summary: 'Sakområdesgrupp kommunikation, kl 9–10.30',
        allDay: false,
        start: '2027-03-26T08:00:00Z',
        end: '2027-03-26T09:30:00Z',
      },
      {
        summary: 'Styrgruppen, Stockholm kl. 10.00–11.00',
        allDay: false,
        start: '2027-03-29T08:00:00Z',
        end: '2027-03-29T09:00:00Z',
      },
    ]);
  });

  it('gives the same instants as the time-zone database on both sides of the switch to summer time', () => {
    const { events } = parseCalendar(read('2026-11/kalendarium.ics'));
    const timed = events.filter((event) => !event.allDay).map((event) => event.start);
    expect(timed).toEqual([
      stockholm('2026-12-03', '13:00'),
      stockholm('2027-03-26', '09:00'),
      stockholm('2027-03-29', '10:00'),
    ]);
  });

  it('leaves out the items without a readable date', () => {
    const text = read('2026-11/kalendarium.ics');
    expect(text).not.toContain('Hösten');
    expect(text).not.toContain('31 april');
  });

  it('writes RFC 5545 lines: CRLF, at most 75 octets, DTSTAMP from the issue’s date', () => {
    const text = read('2026-11/kalendarium.ics');
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const lines = text.split('\r\n');
    expect(lines.filter((line) => line.includes('\n'))).toEqual([]);
    expect(lines.filter((line) => Buffer.byteLength(line) > 75)).toEqual([]);
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
    expect(new Set(lines.filter((line) => line.startsWith('DTSTAMP:')))).toEqual(
      new Set(['DTSTAMP:20261126T000000Z']),
    );
  });
});

describe('the archive’s kalendarium.ics', () => {
  it('holds the items of every published issue that end on or after the newest issue’s date, each once', () => {
    const { events } = parseCalendar(read('kalendarium.ics'));
    expect(events.map((event) => event.start)).toEqual([
      '2026-11-26',
      '2026-12-03T12:00:00Z',
      '2026-12-23',
      '2027-03-26T08:00:00Z',
      '2027-03-29T08:00:00Z',
      '2027-04-26',
    ]);
    // 12 November (2026-10 only) is past as of 26 November; 3 December is in both issues.
    expect(events.map((event) => event.summary)).not.toContain(
      'Forumet för arkiv och informationsförvaltning, Stockholm',
    );
    const own = parseCalendar(read('2026-11/kalendarium.ics')).events;
    expect(new Set(events.map((event) => event.uid))).toEqual(new Set(own.map((event) => event.uid)));
  });

  it('is byte-identical when built again', async () => {
    const again = await buildWeb(join(ISSUE_FIXTURES, 'kalendarium'), { cache: false });
    for (const path of ['kalendarium.ics', '2026-10/kalendarium.ics', '2026-11/kalendarium.ics']) {
      expect(readFileSync(join(again.site, path), 'utf8')).toBe(read(path));
    }
  });

  it('is linked from the archive’s front page', () => {
    expect(read('index.html')).toContain('<a href="kalendarium.ics" type="text/calendar">');
  });
});
