import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
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

// A seeded generator (mulberry32): the same inputs on every run.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('parseMarkdown leaves out only the GFM constructs a file cannot hold', () => {
  it('finds tables without a pipe, by a colon next to the delimiter dashes', () => {
    expect(gfmNeeds('a\n:-')).toEqual({ emails: false, tables: true });
    expect(gfmNeeds('a\n--:\n')).toEqual({ emails: false, tables: true });
    expect(gfmNeeds('Text\n---\n')).toEqual({ emails: false, tables: false });
    const table = parseMarkdown(new VFile('Kolumn\n:--\nvärde\n'));
    expect(table.children.map((node) => node.type)).toEqual(['table']);
  });

  it('gives trees equal to remark-gfm’s, positions included, for every Markdown file of the repository', () => {
    const files = [...markdownFiles('issues'), ...markdownFiles('test/fixtures')];
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) same(readFileSync(file, 'utf8'));
  });

  it('gives trees equal to remark-gfm’s for 8,000 generated inputs', () => {
    const next = random(20261206);
    for (let round = 0; round < 8_000; round++) {
      const length = 1 + Math.floor(next() * 30);
      let text = '';
      for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)];
      same(text);
    }
  }, 120_000);
});
