import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toText } from 'hast-util-to-text';
import { parseWhen } from '../../src/parse/kalendarium-dates.ts';
import { brief, checkArchive } from '../check/helpers.ts';
import { buildFixture, elements, html, ISSUE_FIXTURES } from '../support/spine.ts';

describe('Swedish dates of Kalendarium items', () => {
  // An issue of 26 November 2026: months before November roll into 2027.
  const cases = [
    ['26 april, expertgrupp juridik', '2027-04-26', '2027-04-26', undefined, undefined],
    ['1 december: sakområdesgrupp kommunikation', '2026-12-01', '2026-12-01', undefined, undefined],
    ['26–27 november: konferens', '2026-11-26', '2026-11-27', undefined, undefined],
    ['26-27 nov. konferens', '2026-11-26', '2026-11-27', undefined, undefined],
    ['23 december – 6 januari: stängt', '2026-12-23', '2027-01-06', undefined, undefined],
    ['30 april–2 maj: resa', '2027-04-30', '2027-05-02', undefined, undefined],
    ['3 december: möte kl. 13.00–15.00', '2026-12-03', '2026-12-03', '13:00', '15:00'],
    ['3 december: möte, kl 9–10.30', '2026-12-03', '2026-12-03', '09:00', '10:30'],
    ['3 december: möte klockan 13:30', '2026-12-03', '2026-12-03', '13:30', undefined],
    ['torsdag den 3 december – möte', '2026-12-03', '2026-12-03', undefined, undefined],
    ['12 november 2027: möte', '2027-11-12', '2027-11-12', undefined, undefined],
  ] as const;
  it.each(cases)('reads “%s” as %s – %s, %s–%s', (text, start, end, startTime, endTime) => {
    expect(parseWhen(text, '2026-11-26')).toMatchObject({ start, end, startTime, endTime });
  });

  it.each([
    'Hösten 2027: nästa konferens',
    '31 april: ett datum som inte finns',
    '27–26 november: baklänges',
    '3 december',
    '3 december: möte kl. 25.00',
    'Möte 3 december',
  ])('does not read “%s”', (text) => {
    expect(parseWhen(text, '2026-11-26')).toBeUndefined();
  });

  it('keeps the text after the date as the event', () => {
    expect(parseWhen('26 april, expertgrupp juridik', '2026-11-26')?.rest).toBe('expertgrupp juridik');
  });
});

describe('an issue with a Kalendarium', () => {
  it('has one event per dated item, and stable ids shared with an earlier issue repeating an item', async () => {
    const november = await buildFixture('kalendarium', '2026-11');
    const october = await buildFixture('kalendarium', '2026-10');
    expect(november.issue.events.map((event) => event.start)).toEqual([
      '2026-11-26',
      '2026-12-03',
      '2026-12-23',
      '2027-04-26',
      '2027-03-26',
      '2027-03-29',
    ]);
    const repeated = (events: typeof november.issue.events) =>
      events.find((event) => event.start === '2026-12-03')?.uid;
    expect(repeated(november.issue.events)).toMatch(/^[0-9a-f]{24}$/);
    expect(repeated(november.issue.events)).toBe(repeated(october.issue.events));
  });

  it('warns about each item without a readable date, at its line', async () => {
    const { messages } = await checkArchive(join(ISSUE_FIXTURES, 'kalendarium'));
    expect(brief(messages)).toEqual([
      '2026-11/01-kalendarium.md:9:1 warning kalendarium',
      '2026-11/01-kalendarium.md:10:1 warning kalendarium',
    ]);
    expect(messages[0]!.message).toContain('“Hösten 2027: nästa konferens, datum kommer”');
  });

  it('links its calendar file from the Kalendarium section of the email, the web page and the text', async () => {
    const built = await buildFixture('kalendarium', '2026-11');
    const url = 'https://natverket.example.org/nyhetsbrev/2026-11/kalendarium.ics';
    const emailLinks = elements(html(built.email.html), (node) => node.properties.href === url);
    expect(emailLinks.map((node) => toText(node))).toEqual(['Lägg till i kalender']);
    const web = html(built.web);
    const section = elements(web, (node) => node.tagName === 'section')[0]!;
    const webLinks = elements({ type: 'root', children: [section] }, (node) => node.tagName === 'a');
    expect(webLinks.map((node) => node.properties.href)).toContain('kalendarium.ics');
    expect(built.email.text).toContain(`Lägg till i kalender:\n${url}\n`);
  });

  it('links no calendar from an issue without dated items', async () => {
    const built = await buildFixture('content-blocks', '2024-05');
    expect(built.email.html).not.toContain('kalendarium.ics');
    expect(built.web).not.toContain('kalendarium.ics');
    expect(built.email.text).not.toContain('Lägg till i kalender');
  });
});
