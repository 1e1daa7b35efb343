import { report } from '../../report/message.ts';
import { sectionTitlePlace } from '../places.ts';
import { lines, type Rule } from '../rule.ts';

const normalise = (title: string) => title.toLocaleLowerCase('sv').replace(/\s+/g, ' ').trim();

/**
 * `duplicate-section-title`: two sections with the same title give a table of contents with two
 * identical entries, and readers cannot tell which is which.
 */
export const duplicateSectionTitle: Rule = {
  id: 'duplicate-section-title',
  description: 'section titles are unique within an issue',
  severity: ['warning'],
  examples: [
    {
      name: 'two sections with their own titles',
      files: {
        '01-kalendarium.md': lines('# Kalendarium', '', '- 10 april: forumet för arkivfrågor'),
        '02-styrgruppen.md': lines('# Från styrgruppen', '', 'Styrgruppen möttes i mars.'),
      },
    },
    {
      name: 'the same title as a heading and in front matter',
      files: {
        '01-kalendarium.md': lines('# Kalendarium', '', '- 10 april: forumet för arkivfrågor'),
        '02-kalendarium-forts.md': lines('---', 'title: kalendarium', '---', '- 24 april: styrgruppen'),
      },
      messages: [
        '02-kalendarium-forts.md:2:8 warning Unexpected section title “kalendarium” that 01-kalendarium.md already uses, expected a unique title',
      ],
    },
  ],
  check({ issue }) {
    const seen = new Map<string, string>();
    for (const section of issue.sections) {
      const key = normalise(section.title);
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, section.file.basename ?? section.title);
        continue;
      }
      report(
        section.file,
        `Unexpected section title “${section.title}” that ${first} already uses, expected a unique title`,
        {
          ruleId: 'duplicate-section-title',
          severity: 'warning',
          place: sectionTitlePlace(section.file),
          hint: 'Give each section its own title, or merge the two sections into one file.',
        },
      );
    }
  },
};
