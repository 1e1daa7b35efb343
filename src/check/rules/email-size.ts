import { report } from '../../report/message.ts';
import { KB, LIMITS, kilobytes } from '../limits.ts';
import { lines, type Rule } from '../rule.ts';

const MINUTES = 'Forumet för arkivfrågor diskuterade gallring, bevarande och format under hela dagen. ';

/**
 * `email-size`: Gmail clips emails over ~102 KB of HTML behind "[Meddelandet har klippts]" —
 * which hides the end of the issue, including the unsubscribe link. Warn above 90 KB, error
 * above 100 KB, leaving room for the per-recipient links.
 */
export const emailSize: Rule = {
  id: 'email-size',
  description: 'email HTML under 100 KB (warning above 90 KB)',
  severity: ['warning', 'error'],
  examples: [
    { name: 'an issue of a few paragraphs', files: {} },
    {
      name: 'a section of 120 long paragraphs',
      files: {
        '01-protokoll.md': lines(
          '# Protokoll',
          ...Array.from({ length: 120 }, (_, index) => `\n${index + 1}. ${MINUTES.repeat(8)}`),
        ),
      },
      messages: ['issue.md error Unexpected email of …'],
    },
  ],
  check({ built, issueFile, sizes }) {
    if (!built || !sizes) return;
    const { html } = sizes;
    if (html <= LIMITS.htmlWarning) return;
    const error = html > LIMITS.htmlError;
    report(
      issueFile,
      `Unexpected email of ${kilobytes(html)} of HTML, expected at most ${(error ? LIMITS.htmlError : LIMITS.htmlWarning) / KB} KB (Gmail clips at about 102 KB)`,
      {
        ruleId: 'email-size',
        severity: error ? 'error' : 'warning',
        hint: 'Shorten the issue: move long sections to the web (link to them) or split them into next month’s issue. Tables and long lists weigh the most.',
      },
    );
  },
};
