import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH } from '../../src/parse/markdown.ts';
import { brief, checkArchive, copyFixture } from './helpers.ts';

describe('Markdown nested thousands deep', () => {
  it('is a read error at its place, not a stack overflow; shallow nesting reads as before', async () => {
    const cases = {
      // Each overflowed the stack (exit 70): in micromark, in the tree walk after it.
      quotes: `# Citat\n\n${'>'.repeat(3000)} x\n`,
      lists: `# Lista\n\n${'- '.repeat(5000)}x\n`,
      // One marker a line, nested by indentation: caught by measuring the tree.
      indented: `# Lista\n\n${Array.from({ length: 60 }, (_, level) => `${'  '.repeat(level)}- nivå ${level}`).join('\n')}\n`,
      fine: `# Citat\n\n${'> '.repeat(MAX_DEPTH / 4)}nästlat men läsbart\n`,
    };
    const dir = copyFixture('clean');
    for (const [name, text] of Object.entries(cases))
      writeFileSync(join(dir, '2024-03', `09-${name}.md`), text);
    const found = brief((await checkArchive(dir)).messages);
    expect(found.filter((line) => line.startsWith('2024-03/09-quotes.md'))).toEqual([
      '2024-03/09-quotes.md:3:1 error read',
    ]);
    expect(found.filter((line) => line.startsWith('2024-03/09-lists.md'))).toEqual([
      '2024-03/09-lists.md:3:1 error read',
    ]);
    expect(found.filter((line) => line.startsWith('2024-03/09-indented.md'))).toEqual([
      expect.stringMatching(/^2024-03\/09-indented\.md:5\d:\d+ error read$/),
    ]);
    expect(found.filter((line) => line.startsWith('2024-03/09-fine.md'))).toEqual([]);
  }, 60_000);
});
