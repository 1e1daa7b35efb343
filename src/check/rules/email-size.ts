import { report } from '../../report/message.ts';
import { KB, LIMITS, kilobytes } from '../sizes.ts';
import type { Rule } from '../rule.ts';

/**
 * `email-size`: Gmail clips emails over ~102 KB of HTML behind "[Meddelandet har klippts]" —
 * which hides the end of the issue, including the unsubscribe link. Warn above 90 KB, error
 * above 100 KB, leaving room for the per-recipient links.
 */
export const emailSize: Rule = {
  id: 'email-size',
  description: 'email HTML under 100 KB (warning above 90 KB)',
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
