import { EXAMPLE_ISSUE, lines, type RuleDoc } from '../rule.ts';

const ISSUE = EXAMPLE_ISSUE['issue.md']!;
const SECTION = lines('# Vårens möten', '', 'Forumet för arkivfrågor träffas den 26 april.');

/**
 * Rules of the read and parse stages (src/read/, src/parse/), whose messages `check` reports too
 * (`image-file` reports a missing image there, and the rest of its checks in `RULES`). Their checks
 * run while an issue is read and parsed, for every command; their docs and examples are here, so
 * README's rule table, `check --help` and test/check/examples.test.ts treat them like the others.
 */
export const PARSE_RULES: readonly RuleDoc[] = [
  {
    id: 'read',
    description: 'the issue folder and its files can be read; it has an `issue.md`',
    severity: ['error'],
    examples: [
      { name: 'an issue folder with its issue.md', files: {} },
      {
        name: 'an issue folder with a section but no issue.md',
        files: { 'issue.md': null, '01-moten.md': SECTION },
        messages: [
          'issue.md:1:1 error Unexpected issue folder without issue.md, expected front matter and the editorial intro',
        ],
      },
    ],
  },
  {
    id: 'encoding',
    description: 'files are UTF-8',
    severity: ['error'],
    examples: [
      { name: 'a section saved as UTF-8', files: { '01-moten.md': SECTION } },
      {
        name: 'a section saved as Windows-1252',
        files: { '01-moten.md': Buffer.from(SECTION, 'latin1') },
        messages: ['01-moten.md:1:4 error Unexpected bytes that are not UTF-8 (0xE5)'],
      },
    ],
  },
  {
    id: 'front-matter',
    description: 'required keys, types and dates; an unknown key or no `editor:` warns',
    severity: ['error', 'warning'],
    examples: [
      { name: 'front matter with title, date, editor and status', files: {} },
      {
        name: 'a date in words, a misspelt key and no editor',
        files: {
          'issue.md': ISSUE.replace('date: 2024-03-28', 'date: 28 mars 2024').replace(
            'editor: Karin Lindqvist, kanslichef',
            'redaktör: Karin Lindqvist, kanslichef',
          ),
        },
        messages: [
          'issue.md:3:7 error Unexpected `date`: …',
          'issue.md:4:1 warning Unexpected front matter key `redaktör`, expected one of …',
        ],
      },
    ],
  },
  {
    id: 'intro',
    description: '`issue.md` has an editorial intro',
    severity: ['warning'],
    examples: [
      { name: 'an issue.md with an intro', files: {} },
      {
        name: 'an issue.md with front matter only',
        files: { 'issue.md': ISSUE.slice(0, ISSUE.lastIndexOf('---\n') + 4) },
        messages: [
          'issue.md:7:1 warning Unexpected empty editorial intro, expected a few paragraphs after the front matter',
        ],
      },
    ],
  },
  {
    id: 'section-title',
    description: 'each section has a `# Title` or `title:`',
    severity: ['error'],
    examples: [
      { name: 'a section with a `# Title`', files: { '01-moten.md': SECTION } },
      {
        name: 'a section without one',
        files: { '01-moten.md': lines('Forumet för arkivfrågor träffas den 26 april.') },
        messages: [
          '01-moten.md:1:1 error Unexpected section without a title, expected a `# Title` heading or `title:` in front matter',
        ],
      },
    ],
  },
  {
    id: 'section-empty',
    description: 'no empty section files',
    severity: ['error'],
    examples: [
      { name: 'a section with a title and text', files: { '01-moten.md': SECTION } },
      {
        name: 'an empty section file',
        files: { '01-moten.md': '\n' },
        messages: ['01-moten.md:1:1 error Unexpected empty section file, expected a `# Title` and some text'],
      },
    ],
  },
  {
    id: 'fact-box',
    description: 'a `:::fakta[Titel]` box is named `fakta`, starts with no space after `:::` and is closed',
    severity: ['warning'],
    examples: [
      {
        name: 'a fact box',
        files: {
          '01-moten.md': SECTION + lines('', ':::fakta[Om forumet]', 'Forumet har 40 medlemmar.', ':::'),
        },
      },
      {
        name: 'a box of another name, one with a space after `:::`, and one never closed',
        files: {
          '01-moten.md':
            SECTION +
            lines(
              '',
              ':::faktaruta[Om forumet]',
              'Forumet har 40 medlemmar.',
              ':::',
              '',
              '::: fakta',
              '',
              ':::fakta[Anmälan]',
              'Anmäl dig senast den 19 april.',
            ),
        },
        messages: [
          '01-moten.md:5:1 warning Unexpected `:::faktaruta` block, expected `:::fakta`',
          '01-moten.md:9:1 warning Unexpected `::: fakta`, expected `:::fakta` to start a fact box',
          '01-moten.md:11:1 warning Unexpected fact box without a closing `:::`, expected `:::` on a line of its own',
        ],
      },
    ],
  },
  {
    id: 'no-html',
    description: 'no raw HTML in Markdown (it is left out of the output)',
    severity: ['warning'],
    examples: [
      {
        name: 'Markdown, and an HTML comment (dropped)',
        files: { '01-moten.md': SECTION + lines('', '<!-- Datum bekräftat av forumets ordförande. -->') },
      },
      {
        name: 'an HTML element',
        files: { '01-moten.md': SECTION + lines('', 'Anmälan är <b>bindande</b>.') },
        messages: [
          '01-moten.md:5:12 warning Unexpected raw HTML, expected Markdown (raw HTML is left out of the output)',
          '01-moten.md:5:23 warning Unexpected raw HTML, expected Markdown (raw HTML is left out of the output)',
        ],
      },
    ],
  },
];
