import { isKalendarium, kalendariumItems } from '../../parse/kalendarium.ts';
import { report } from '../../report/message.ts';
import { lines, type Rule } from '../rule.ts';

/**
 * `kalendarium`: every item of a Kalendarium list starts with a date nyhetsbrev can read, so it
 * reaches the `.ics` calendar. One it cannot read stays a plain list item on the page and in the
 * email, and is left out of the calendar.
 */
export const kalendarium: Rule = {
  id: 'kalendarium',
  description: 'each Kalendarium item starts with a date such as “26 april” or “26–27 april”',
  severity: ['warning'],
  examples: [
    {
      name: 'dates, a range, a range over the new year and a time',
      files: {
        '01-kalendarium.md': lines(
          '# Kalendarium',
          '',
          '- 10 april: forumet för arkivfrågor',
          '- 26–27 april, expertgrupp juridik',
          '- 23 december – 6 januari: kansliet har stängt',
          '- 15 maj: styrgruppen, digitalt kl. 13.00–15.00',
        ),
      },
    },
    {
      name: 'an item without a date, and a date that does not exist',
      files: {
        '01-kalendarium.md': lines(
          '# Kalendarium',
          '',
          '- 10 april: forumet för arkivfrågor',
          '- Hösten: fler möten planeras',
          '- 31 april: ett datum som inte finns',
        ),
      },
      messages: [
        '01-kalendarium.md:4:1 warning Unexpected Kalendarium item “Hösten: fler möten planeras” without a date nyhetsbrev can read, expected it to start with one such as “26 april:”',
        '01-kalendarium.md:5:1 warning Unexpected Kalendarium item “31 april: ett datum som inte finns” without a date nyhetsbrev can read, expected it to start with one such as “26 april:”',
      ],
    },
  ],
  check({ issue }) {
    for (const section of issue.sections.filter(isKalendarium)) {
      for (const item of kalendariumItems(section.body.mdast, issue.meta.date)) {
        if (item.when) continue;
        report(
          section.file,
          `Unexpected Kalendarium item “${item.text}” without a date nyhetsbrev can read, expected it to start with one such as “26 april:”`,
          {
            ruleId: 'kalendarium',
            severity: 'warning',
            place: item.node.position,
            hint: 'Write the date first, then a colon or comma and what happens: `26 april: expertgrupp juridik`, `26–27 april, konferens`, `3 december: möte kl. 13.00–15.00`. Otherwise the item is left out of the calendar file.',
          },
        );
      }
    }
  },
};
