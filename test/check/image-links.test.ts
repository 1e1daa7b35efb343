import { appendFileSync, copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/spine.ts';
import { checkArchive, copyFixture } from './helpers.ts';

describe('images that are symbolic links', () => {
  it('to a file outside the issue folder are refused like ../ paths; links inside it are fine', async () => {
    const dir = copyFixture('clean');
    const issue = join(dir, '2024-03');
    const outside = tempDir('nyhetsbrev-outside-');
    copyFileSync(join(issue, 'images', 'omslag.png'), join(outside, 'hemlig.png'));
    mkdirSync(join(outside, 'bilder'));
    copyFileSync(join(issue, 'images', 'omslag.png'), join(outside, 'bilder', 'annan.png'));
    symlinkSync(join(outside, 'hemlig.png'), join(issue, 'images', 'lank.png'));
    symlinkSync(join(outside, 'bilder'), join(issue, 'lankmapp'));
    symlinkSync(join(issue, 'images', 'omslag.png'), join(issue, 'images', 'inne.png'));
    appendFileSync(
      join(issue, '01-vagledning.md'),
      '\n![Länk ut](images/lank.png)\n\n![Mapp ut](lankmapp/annan.png)\n\n![Länk inne](images/inne.png)\n',
    );
    const { messages } = await checkArchive(dir);
    expect(messages.filter((m) => m.ruleId === 'image-file').map((m) => m.message)).toEqual([
      'Unexpected image outside the issue folder: `images/lank.png`',
      'Unexpected image outside the issue folder: `lankmapp/annan.png`',
    ]);
  });
});

describe('SVG images', () => {
  it('with a script, an event attribute or a javascript: link are refused; a plain SVG is fine', async () => {
    const dir = copyFixture('clean');
    const issue = join(dir, '2024-03');
    const svg = (inner: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">${inner}<rect width="10" height="10"/></svg>`;
    writeFileSync(join(issue, 'images', 'skript.svg'), svg('<script>alert(1)</script>'));
    writeFileSync(join(issue, 'images', 'onload.svg'), svg('').replace('<svg ', '<svg onload="alert(1)" '));
    writeFileSync(join(issue, 'images', 'lank.svg'), svg('<a href="javascript:alert(1)"><text>x</text></a>'));
    writeFileSync(join(issue, 'images', 'ren.svg'), svg(''));
    appendFileSync(
      join(issue, '01-vagledning.md'),
      ['skript', 'onload', 'lank', 'ren'].map((name) => `\n![Figur ${name}](images/${name}.svg)\n`).join(''),
    );
    const { messages } = await checkArchive(dir);
    expect(
      messages.filter((m) => m.ruleId === 'image-file' && m.severity === 'error').map((m) => m.message),
    ).toEqual([
      'Unexpected script in SVG image `images/skript.svg`',
      'Unexpected script in SVG image `images/onload.svg`',
      'Unexpected script in SVG image `images/lank.svg`',
    ]);
  });
});
