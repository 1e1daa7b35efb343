import { report } from '../../report/message.ts';
import { KB, LIMITS, kilobytes } from '../limits.ts';
import type { Rule } from '../rule.ts';

/** `style-size`: Gmail ignores `<style>` over 16 KB, and the email loses its mobile layout. */
export const styleSize: Rule = {
  id: 'style-size',
  description: '`<style>` in the email at most 16 KB',
  severity: ['error'],
  // The styles come from the templates, which an example issue cannot change.
  examples: [{ name: 'the shipped templates’ styles', files: {} }],
  check({ built, issueFile, sizes }) {
    if (!built || !sizes || sizes.style <= LIMITS.style) return;
    report(
      issueFile,
      `Unexpected ${kilobytes(sizes.style)} of \`<style>\` in the email, expected at most ${LIMITS.style / KB} KB (Gmail ignores larger style blocks)`,
      {
        ruleId: 'style-size',
        hint: 'The styles come from templates/email/partials/styles.mjml.hbs: remove rules the email does not use.',
      },
    );
  },
};
