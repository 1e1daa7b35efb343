import type { Heading } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { report } from '../../report/message.ts';
import { EXAMPLE_ISSUE, lines, type Rule } from '../rule.ts';

/** `#` repeated `level` times: how a heading level is written in Markdown. */
const hashes = (level: number) => `\`${'#'.repeat(level)}\``;

/**
 * The heading as written: its number of `#` (read from the source, since parse has already fitted
 * the depths under the page outline), or 1 / 2 for a setext heading underlined with `=` / `-`.
 */
function writtenLevel(node: Heading, file: VFile): number {
  const source = String(file.value).slice(node.position?.start.offset ?? 0);
  const atx = /^#{1,6}/.exec(source)?.[0].length;
  if (atx !== undefined) return atx;
  const lines = String(file.value).split('\n');
  return lines[(node.position?.end.line ?? 1) - 1]?.trim().startsWith('=') ? 1 : 2;
}

/**
 * `heading-order`: headings go down one level at a time (WCAG 1.3.1; screen reader users navigate
 * by level). Works on the rendered depths parse gives: the issue title is `h1`, section titles
 * `h2`; a section's `##` is `h3`, while the intro's `#` and `##` are both `h2`. A second `#` in a
 * section would read as a section the table of contents does not list.
 */
export const headingOrder: Rule = {
  id: 'heading-order',
  description: 'no skipped heading levels; no `#` after a section title',
  severity: ['warning'],
  examples: [
    {
      name: 'headings that go down one level at a time',
      files: {
        'issue.md': EXAMPLE_ISSUE['issue.md'] + lines('', '## Om numret', '', 'Text.'),
        '01-mote.md': lines('# Temamöte', '', '## Program', '', '### Förmiddag', '', '## Plats'),
      },
    },
    {
      name: 'a skipped level, and a second `#` in a section',
      files: { '01-mote.md': lines('# Temamöte', '', '### Program', '', '# Anmälan') },
      messages: [
        '01-mote.md:3:1 warning Unexpected `###` heading after the section title, expected `##` (heading levels must not be skipped)',
        '01-mote.md:5:1 warning Unexpected `#` heading after the section title, expected `##` for a sub-heading',
      ],
    },
    {
      name: 'a skipped level in the intro',
      files: { 'issue.md': EXAMPLE_ISSUE['issue.md'] + lines('', '## Om numret', '', '#### Detaljer') },
      messages: [
        'issue.md:11:1 warning Unexpected `####` heading after `##`, expected `###` (heading levels must not be skipped)',
      ],
    },
  ],
  check({ bodies }) {
    for (const { kind, file, tree } of bodies) {
      // Rendered level above the body, and how to name it: the issue's h1 or the section's h2.
      let previous = kind === 'intro' ? 1 : 2;
      let after = kind === 'intro' ? 'the issue title' : 'the section title';
      // The level to write for rendered depth `depth` in this body.
      const toWrite = (depth: number) => (kind === 'section' ? depth - 1 : Math.max(2, depth));
      visit(tree, 'heading', (node: Heading) => {
        const written = writtenLevel(node, file);
        if (kind === 'section' && node.depth === 2) {
          report(file, 'Unexpected `#` heading after the section title, expected `##` for a sub-heading', {
            ruleId: 'heading-order',
            severity: 'warning',
            place: node.position,
            hint: 'A section has one `#` heading, its title. Start sub-headings with `##`; or move this part into a section file of its own.',
          });
        } else if (node.depth > previous + 1) {
          const expected = hashes(toWrite(previous + 1));
          report(
            file,
            `Unexpected ${hashes(written)} heading after ${after}, expected ${expected} (heading levels must not be skipped)`,
            {
              ruleId: 'heading-order',
              severity: 'warning',
              place: node.position,
              hint: `Use ${expected} here, so the heading levels go down one step at a time.`,
            },
          );
        }
        previous = node.depth;
        after = hashes(written);
      });
    }
  },
};
