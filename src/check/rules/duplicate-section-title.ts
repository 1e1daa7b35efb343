import { report } from '../../report/message.ts';
import { sectionTitlePlace } from '../places.ts';
import type { Rule } from '../rule.ts';

const normalise = (title: string) => title.toLocaleLowerCase('sv').replace(/\s+/g, ' ').trim();

/**
 * `duplicate-section-title`: two sections with the same title give a table of contents with two
 * identical entries, and readers cannot tell which is which.
 */
export const duplicateSectionTitle: Rule = {
  id: 'duplicate-section-title',
  description: 'section titles are unique within an issue',
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
