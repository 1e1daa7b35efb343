import { readFileSync } from 'node:fs';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { repositoryMarkdown } from '../support/markdown-files.ts';
import { seededRandom } from '../support/resend-stub-rules.ts';
import { parseMarkdown } from '../../src/parse/markdown.ts';
import { gfmNeeds } from '../../src/parse/remark-gfm-literals.ts';
import remarkContainerDirectives from '../../src/parse/remark-container-directives.ts';

// What parseMarkdown gives, made the plain way: remark-gfm with every construct, its transform
// inside the parse.
const reference = unified()
  .use(remarkParse)
  .use(remarkFrontmatter, ['yaml'])
  .use(remarkGfm)
  .use(remarkContainerDirectives);

function same(text: string): void {
  expect(
    outcome(() => parseMarkdown(file(text))),
    JSON.stringify(text),
  ).toEqual(outcome(() => reference.parse(file(text))));
}

function file(text: string): VFile {
  return new VFile({ value: text, path: 'x.md' });
}

// The tree, or the error (the packages' development builds, which the tests load, assert things
// the production builds do not check; a few generated inputs trip one, on both sides alike).
function outcome(parse: () => unknown): unknown {
  try {
    return parse();
  } catch (error) {
    return { threw: String(error) };
  }
}

// Pieces of Markdown that meet at the edges of what gfmNeeds rules out.
const PIECES = [
  'a',
  'Ord ',
  ' ',
  '  ',
  '\n',
  '\n\n',
  '|',
  ' | ',
  '-',
  '--',
  '---',
  ':',
  ':-',
  '-:',
  ':-:',
  '500:-',
  '@',
  'x@example.org',
  'www.example.org',
  'https://example.org/a',
  '~',
  '~~',
  '[^1]',
  '\n[^1]: n',
  '*',
  '_',
  '`',
  '> ',
  '- ',
  '1. ',
  '[ ] ',
  '[x] ',
  '# ',
  '\\',
  ':::fakta[Rubrik]\n',
  '\n:::\n',
  '<b>',
  '&amp;',
];

describe('parseMarkdown leaves out only the GFM constructs a file cannot hold', () => {
  it('finds tables without a pipe, by a colon next to the delimiter dashes', () => {
    expect(gfmNeeds('a\n:-')).toEqual({ emails: false, tables: true });
    expect(gfmNeeds('a\n--:\n')).toEqual({ emails: false, tables: true });
    expect(gfmNeeds('Text\n---\n')).toEqual({ emails: false, tables: false });
    const table = parseMarkdown(new VFile('Kolumn\n:--\nvärde\n'));
    expect(table.children.map((node) => node.type)).toEqual(['table']);
  });

  it('gives trees equal to remark-gfm’s, positions included, for every Markdown file of the repository', () => {
    const files = repositoryMarkdown();
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) same(readFileSync(file, 'utf8'));
  });

  it('gives trees equal to remark-gfm’s for 8,000 generated inputs', () => {
    const next = seededRandom(20261206);
    for (let round = 0; round < 8_000; round++) {
      const length = 1 + Math.floor(next() * 30);
      let text = '';
      for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)];
      same(text);
    }
  }, 120_000);
});
