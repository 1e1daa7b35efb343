import { monthLabel } from '../../locale.ts';
import { ISSUE_ID } from '../../read/index.ts';
import { report } from '../../report/message.ts';
import { frontMatterValuePlace } from '../places.ts';
import { EXAMPLE_ISSUE, type Rule } from '../rule.ts';

/**
 * `date-folder`: the folder id (`2024-03`) is the issue's address in the archive, and the date
 * gives its month label ("Mars 2024"); when they disagree one of them was copied from last month.
 */
export const dateFolder: Rule = {
  id: 'date-folder',
  description: 'the folder id (YYYY-MM) matches the month of `date:`',
  severity: ['error', 'warning'],
  examples: [
    { name: 'a date in the folder’s month', files: {} },
    {
      name: 'a date in the month before',
      files: { 'issue.md': EXAMPLE_ISSUE['issue.md']!.replace('date: 2024-03-28', 'date: 2024-02-29') },
      messages: [
        'issue.md:3:7 error Unexpected date 2024-02-29 in folder 2024-03, expected a date in mars 2024',
      ],
    },
  ],
  check({ issue, issueFile, config }) {
    const place = frontMatterValuePlace(issueFile, 'date');
    if (!ISSUE_ID.test(issue.id)) {
      report(
        issueFile,
        `Unexpected issue folder name \`${issue.id}\`, expected the month as YYYY-MM, such as \`${issue.meta.date.slice(0, 7)}\``,
        {
          ruleId: 'date-folder',
          severity: 'warning',
          place,
          hint: 'The folder name is the issue’s address in the web archive: rename the folder to YYYY-MM (YYYY-MM-b for a second issue in a month).',
        },
      );
      return;
    }
    const folderMonth = issue.id.slice(0, 7);
    if (issue.meta.date.slice(0, 7) === folderMonth) return;
    report(
      issueFile,
      `Unexpected date ${issue.meta.date} in folder ${issue.id}, expected a date in ${monthLabel(`${folderMonth}-01`, config.locale).toLocaleLowerCase('sv')}`,
      {
        ruleId: 'date-folder',
        place,
        hint: `Fix \`date:\` — or, if the date is right, rename the folder to ${issue.meta.date.slice(0, 7)}.`,
      },
    );
  },
};
