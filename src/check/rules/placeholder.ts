import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
import { ISSUE_ID } from '../../read/index.ts';
import { report } from '../../report/message.ts';
import { collapse, scaffoldPlaceholders } from '../../scaffold/placeholders.ts';
import { frontMatterValuePlace } from '../places.ts';
import { EXAMPLE_ISSUE, lines, type Rule } from '../rule.ts';

const HINT =
  'Replace it with the issue’s own text (or delete it), or set `status: draft` until the issue is done.';

/**
 * `placeholder`: an issue marked `status: ready` has none of the placeholders `nyhetsbrev new`
 * wrote left in it — the title, the editor placeholder, and the texts `templates/new/` marks with
 * `{{#placeholder}}` (the intro's instructions, the Kalendarium example). Drafts are not checked.
 */
export const placeholder: Rule = {
  id: 'placeholder',
  description: 'a ready issue has no placeholder text left from `nyhetsbrev new`',
  severity: ['error'],
  examples: [
    { name: 'a ready issue in its own words', files: {} },
    {
      name: 'a ready issue with the scaffold’s signature and intro instructions left in',
      files: {
        'issue.md': EXAMPLE_ISSUE['issue.md']!.replace(
          'editor: Karin Lindqvist, kanslichef',
          'editor: Förnamn Efternamn, titel',
        ),
        '01-ledare.md': lines(
          '# Ledare',
          '',
          'Skriv ledaren här: några korta stycken om vad som händer i nätverket i mars.',
        ),
      },
      messages: [
        '01-ledare.md:3:1 error Unexpected placeholder text from `nyhetsbrev new` in a ready issue, expected the issue’s own',
        'issue.md:4:9 error Unexpected placeholder signature from `nyhetsbrev new` in a ready issue, expected the issue’s own',
      ],
    },
  ],
  async check({ issue, issueFile, bodies, config }) {
    // A folder that names no month (`2024-13`) had no scaffold; date-folder warns about its name.
    if (issue.meta.status !== 'ready' || !ISSUE_ID.test(issue.id)) return;
    const placeholders = await scaffoldPlaceholders(issue.id, config);
    const fail = (file: VFile, what: string, place: Point | Position | undefined) =>
      report(
        file,
        `Unexpected placeholder ${what} from \`nyhetsbrev new\` in a ready issue, expected the issue’s own`,
        {
          ruleId: 'placeholder',
          place,
          hint: HINT,
        },
      );
    if (issue.meta.title === placeholders.title)
      fail(issueFile, 'title', frontMatterValuePlace(issueFile, 'title'));
    if (issue.meta.editor === placeholders.editor) {
      fail(issueFile, 'signature', frontMatterValuePlace(issueFile, 'editor'));
    }
    for (const { file, tree } of bodies) {
      visit(tree, ['paragraph', 'heading'], (node) => {
        const text = collapse(toString(node));
        if (placeholders.texts.some((placeholder) => text.includes(placeholder))) {
          fail(file, 'text', node.position);
        }
      });
    }
  },
};
