import { report } from '../../report/message.ts';
import { frontMatterValuePlace } from '../places.ts';
import { EXAMPLE_ISSUE, type Rule } from '../rule.ts';

/** Inbox lists show roughly this many characters of preview text after the subject. */
export const PREHEADER = { min: 40, max: 90 } as const;

/**
 * `preheader-length`: the preheader is the grey preview text after the subject in the inbox.
 * Too short, and clients fill the rest with whatever text comes first ("Läs i webbläsaren");
 * too long, and it is cut mid-word.
 */
export const preheaderLength: Rule = {
  id: 'preheader-length',
  description: 'preheader of 40–90 characters',
  severity: ['warning'],
  examples: [
    { name: 'a preheader taken from an intro of 76 characters', files: {} },
    {
      name: 'a short `preheader:`',
      files: {
        'issue.md': EXAMPLE_ISSUE['issue.md']!.replace(
          'status: ready\n',
          'status: ready\npreheader: Nytt i mars\n',
        ),
      },
      messages: ['issue.md:6:12 warning Unexpected preheader of 11 characters, expected 40–90'],
    },
    {
      name: 'a preheader taken from a short intro',
      files: {
        'issue.md': EXAMPLE_ISSUE['issue.md']!.replace(/^Välkommen.*$/m, 'Kort ledare i mars.'),
      },
      messages: ['issue.md:7:1 warning Unexpected preheader of 19 characters, expected 40–90'],
    },
  ],
  check({ issue, issueFile }) {
    const length = Array.from(issue.meta.preheader).length;
    if (length >= PREHEADER.min && length <= PREHEADER.max) return;
    const written = frontMatterValuePlace(issueFile, 'preheader');
    const firstParagraph = issue.intro.mdast.children.find((node) => node.type === 'paragraph');
    report(
      issueFile,
      `Unexpected preheader of ${length} characters, expected ${PREHEADER.min}–${PREHEADER.max}`,
      {
        ruleId: 'preheader-length',
        severity: 'warning',
        place: written ?? firstParagraph?.position?.start,
        hint: written
          ? `Rewrite \`preheader:\` to ${PREHEADER.min}–${PREHEADER.max} characters: one sentence that makes the reader open the email.`
          : `The preheader comes from the start of the intro. Add \`preheader:\` (${PREHEADER.min}–${PREHEADER.max} characters) to the front matter, or lengthen the intro.`,
      },
    );
  },
};
