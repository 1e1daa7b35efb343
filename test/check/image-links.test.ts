import { appendFileSync, copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
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
