import { report } from '../../report/message.ts';
import { KB, LIMITS, kilobytes } from '../limits.ts';
import { lines, type Rule } from '../rule.ts';

// A theme's email header that brings a style sheet of its own: 700 rules, about 20 KB as the
// email carries it (minified), over the limit by itself.
const STYLED_HEADER = lines(
  '<mj-raw>',
  `<style>${Array.from({ length: 700 }, (_, i) => `.kampanj-${i} { margin: 0 0 ${i}px; }`).join('\n')}</style>`,
  '</mj-raw>',
  '<mj-section><mj-column><mj-text>{{organisation}}</mj-text></mj-column></mj-section>',
);

/** `style-size`: Gmail ignores `<style>` over 16 KB, and the email loses its mobile layout. */
export const styleSize: Rule = {
  id: 'style-size',
  description: '`<style>` in the email at most 16 KB',
  severity: ['error'],
  examples: [
    { name: 'the shipped templates’ styles', files: {} },
    {
      name: 'a theme whose email header brings a 20 KB style sheet',
      files: {},
      theme: { 'theme.yml': lines('font: Georgia, serif'), 'email/header.mjml.hbs': STYLED_HEADER },
      messages: [
        'issue.md error Unexpected … KB of `<style>` in the email, expected at most 16 KB (Gmail ignores larger style blocks)',
      ],
    },
  ],
  check({ built, issueFile, sizes }) {
    if (!built || !sizes || sizes.style <= LIMITS.style) return;
    report(
      issueFile,
      `Unexpected ${kilobytes(sizes.style)} of \`<style>\` in the email, expected at most ${LIMITS.style / KB} KB (Gmail ignores larger style blocks)`,
      {
        ruleId: 'style-size',
        hint: 'The styles come from templates/email/partials/styles.mjml.hbs and any `<style>` in the theme’s email partials: remove rules the email does not use.',
      },
    );
  },
};
