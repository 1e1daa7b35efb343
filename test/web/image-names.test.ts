import { appendFileSync, copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/build/index.ts';
import { copyFixture } from '../check/helpers.ts';
import { tempDir, testConfig } from '../support/spine.ts';

describe('image files named with å, ä, ö or spaces', () => {
  it('are found on the web page and in the email, with their sizes', async () => {
    const dir = copyFixture('clean');
    const issue = join(dir, '2024-03');
    copyFileSync(join(issue, 'images', 'omslag.png'), join(issue, 'images', 'årsmöte.png'));
    copyFileSync(join(issue, 'images', 'omslag.png'), join(issue, 'images', 'ny bild.png'));
    appendFileSync(
      join(issue, '01-vagledning.md'),
      '\n![Årsmötet](images/årsmöte.png)\n\n![Ny bild](<images/ny bild.png>)\n',
    );
    const out = tempDir('nyhetsbrev-image-names-');
    const config = testConfig();
    const result = await buildSite(config, {
      issuesDir: dir,
      outDir: out,
      ids: [],
      drafts: false,
      email: true,
    });
    expect(result.files.flatMap((file) => file.messages.filter((m) => m.fatal))).toEqual([]);
    const page = readFileSync(join(out, 'web', '2024-03', 'index.html'), 'utf8');
    const email = readFileSync(join(out, 'email', '2024-03.html'), 'utf8');
    for (const alt of ['Årsmötet', 'Ny bild']) {
      const src = new RegExp(`<img src="([^"]+)" alt="${alt}" width="(\\d+)" height="(\\d+)"`).exec(page);
      expect(src, alt).not.toBeNull();
      expect(existsSync(join(out, 'web', '2024-03', decodeURI(src![1]!))), src![1]).toBe(true);
      const mail = new RegExp(`<img[^>]*alt="${alt}"[^>]*>`).exec(email)?.[0] ?? '';
      const url = /src="([^"]+)"/.exec(mail)?.[1] ?? '';
      expect(url).toMatch(/^https:\/\//);
      expect(url).toContain(encodeURI(decodeURI(src![1]!)).replace(/^images\//, '2024-03/images/'));
    }
  });
});
