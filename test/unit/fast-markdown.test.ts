import { readFileSync } from 'node:fs';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { repositoryMarkdown } from '../support/markdown-files.ts';
import { seededRandom } from '../support/resend-stub-rules.ts';
import { fastMarkdown } from '../../src/parse/fast-markdown.ts';
import { micromarkMarkdown, parseMarkdown } from '../../src/parse/markdown.ts';

// What micromark makes of `text`, or the error (the packages' development builds, which the tests
// load, assert things the production builds do not check).
function micromark(text: string): unknown {
  try {
    return JSON.parse(JSON.stringify(micromarkMarkdown(new VFile({ value: text, path: 'x.md' })))) as unknown;
  } catch (error) {
    return { threw: String(error) };
  }
}

// True when the fast path took `text`; then its tree must be micromark's, positions included.
function sameOrDeclined(text: string): boolean {
  const fast = fastMarkdown(text);
  if (!fast) return false;
  expect(JSON.parse(JSON.stringify(fast)), JSON.stringify(text)).toEqual(micromark(text));
  return true;
}

// Inline pieces at the edges of what the fast path reads: emphasis runs next to words,
// punctuation, spaces and brackets; links, images and footnote calls.
const INLINE = [
  'ord', 'Möte', 'å', '12', ' ', ' ', '*', '**', '*', '**', '.', ',', ':', '!', '?', '(', ')',
  '"', "'", '-', '/', '[länk](https://example.org/a)', '[*a* b](u "t")', '[**x**](y)',
  '![alt](bild.png)', '[^1]', '#', '^', '=', '+', '>', ' x@example.org', 'a.b+c@sub.example.org',
  '(kansliet@example.org)', 'x@y', 'x@example.o-', '@',
]; // prettier-ignore
// Pieces that send a document to micromark, now and then (`[^2]` is never defined).
const EDGE = ['***', '–', '[^2]', '_', '@', '[', ']', '&amp;', '\\', '`', '~', '<b>', 'www.example.org', '|'];

function document(next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const inline = () => {
    let text = '';
    for (let i = 1 + Math.floor(next() * 12); i > 0; i--) text += pick(next() < 0.02 ? EDGE : INLINE);
    return next() < 0.95 ? text.trim() || 'x' : text;
  };
  const lines = (count: number, line: (i: number) => string) =>
    Array.from({ length: 1 + Math.floor(next() * count) }, (_, i) => line(i)).join('\n');
  const block = (): string => {
    const kind = next();
    if (kind < 0.2) return `${'#'.repeat(1 + Math.floor(next() * 6))} ${inline()}`;
    if (kind < 0.5) return lines(3, inline);
    if (kind < 0.7) return lines(4, () => `- ${inline()}`);
    const start = Math.floor(next() * 12);
    if (kind < 0.72) return lines(3, (i) => `${start + i}. ${inline()}`);
    if (kind < 0.8) return lines(2, () => `[^${pick(['1', '1', '2', 'a'])}]: ${inline()}`);
    const label = next() < 0.7 ? `[${inline()}]` : '';
    return `:::${pick(['fakta', 'info', 'Fakta'])}${label}\n${kind < 0.95 ? lines(2, () => `- ${inline()}`) : `${inline()}\n\n${block()}`}\n:::`;
  };
  let text = next() < 0.2 ? '---\ntitle: x\n---\n' : '';
  for (let i = 1 + Math.floor(next() * 6); i > 0; i--) text += block() + (next() < 0.7 ? '\n\n' : '\n');
  return next() < 0.3 ? text.trimEnd() : text;
}

describe('the fast Markdown path', () => {
  it('gives micromark’s tree, positions included, for every Markdown file of the repository it takes', () => {
    const files = repositoryMarkdown();
    const taken = files.filter((file) => sameOrDeclined(readFileSync(file, 'utf8')));
    // Most files take it (those with tables, fact boxes or email addresses do not).
    expect(taken.length).toBeGreaterThan(files.length / 2);
  });

  it('gives micromark’s tree for 60,000 generated documents it takes, and declines the others', () => {
    const next = seededRandom(20261207);
    const taken: string[] = [];
    for (let round = 0; round < 60_000; round++) {
      const text = document(next);
      if (sameOrDeclined(text)) taken.push(text);
    }
    expect(taken.length).toBeGreaterThan(1_200);
    // Fact boxes and email addresses among them.
    expect(taken.filter((text) => text.includes(':::')).length).toBeGreaterThan(50);
    expect(taken.filter((text) => text.includes('@')).length).toBeGreaterThan(100);
  });

  it('reads a plain newsletter section', () => {
    const text = [
      '# Temamöte om arkiv',
      '',
      'Nätverket **bjuder in** till ett *temamöte* den 12 mars.[^1] Läs [programmet](https://example.org/p "Program").',
      'Anmäl dig senast fredag!',
      '',
      '## Program',
      '',
      '1. Inledning',
      '2. Erfarenheter från ![logotyp](logo.png) tre myndigheter',
      '',
      '- Plats: Stockholm',
      '- Tid: 9–12',
      '',
      '[^1]: Mötet hålls också digitalt.',
      '',
    ].join('\n');
    const tree = fastMarkdown(text);
    expect(tree?.children.map((node) => node.type)).toEqual([
      'heading',
      'paragraph',
      'heading',
      'list',
      'list',
      'footnoteDefinition',
    ]);
    expect(sameOrDeclined(text)).toBe(true);
  });

  it.each([
    ['an empty link title', '[a](u "")\n'],
    ['an empty image title', '![a](u "")\n'],
    ['a domain label after a dot that starts with -', 'Skriv till a@b.se.-x idag.\n'],
    ['a domain that ends in -', 'a@b.-c\n'],
    ['NUL in front matter', '---\n\u0000\n---\nx\n'],
    ['a footnote label of 1,000 characters', `[^${'a'.repeat(1000)}]: x\n\ny[^${'a'.repeat(1000)}]\n`],
    ['a call before a definition in a fact box', 'a[^1]\n\n:::x\n[^1]: b\n:::\n'],
    ['a call in a list before a definition in a fact box', '- a[^1]\n\n:::x\n[^1]: b\n:::\n'],
  ])('gives micromark’s tree or declines for %s (found by review)', (_, text) => {
    sameOrDeclined(text);
    expect(JSON.parse(JSON.stringify(parseMarkdown(new VFile({ value: text, path: 'x.md' }))))).toEqual(
      micromark(text),
    );
  });

  it('declines emphasis nested deeper than prose has, instead of overflowing the stack', () => {
    expect(fastMarkdown(`${'*a '.repeat(4000)}b${' c*'.repeat(4000)}\n`)).toBeUndefined();
  });

  it.each([
    ['a table', '| a | b |\n| - | - |\n| 1 | 2 |\n'],
    ['an email address next to a word', 'Skriv till:kansliet@example.org.\n'],
    ['a bare URL', 'Se https://example.org/a.\n'],
    ['a fact box with attributes', ':::fakta{.viktig}\nText.\n:::\n'],
    ['a fact box in a fact box', '::::fakta\n:::info\nText.\n:::\n::::\n'],
    ['underscore emphasis', 'Ett _viktigt_ ord.\n'],
    ['code', 'Kör `nyhetsbrev check`.\n'],
    ['a block quote', '> Citat\n'],
    ['a loose list', '- a\n\n- b\n'],
    ['a setext heading', 'Rubrik\n---\n'],
    ['a hard break', 'rad  \nrad\n'],
    ['HTML', 'Text <b>fet</b>\n'],
    ['a call of an undefined footnote', 'Text[^9]\n'],
    ['emphasis that does not nest plainly', '**a *b** c*\n'],
  ])('leaves %s to micromark, and parseMarkdown gives micromark’s tree', (_, text) => {
    expect(fastMarkdown(text)).toBeUndefined();
    expect(JSON.parse(JSON.stringify(parseMarkdown(new VFile({ value: text, path: 'x.md' }))))).toEqual(
      micromark(text),
    );
  });
});
