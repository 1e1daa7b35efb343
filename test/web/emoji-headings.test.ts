import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIssue, loadArchive } from '../../src/pipeline.ts';
import { copyFixture } from '../check/helpers.ts';
import { testConfig } from '../support/spine.ts';

describe('headings of only emoji or punctuation', () => {
  it('get named anchors, never an empty id or #-1', async () => {
    const dir = copyFixture('clean');
    writeFileSync(
      join(dir, '2024-03', '03-fest.md'),
      '# 🎉🎉\n\nVi firar.\n\n## 🚀\n\nFart.\n\n## 🚀\n\nMer fart.\n',
    );
    const config = testConfig();
    const { web } = await buildIssue(await loadArchive(dir, config), '2024-03', config);
    expect(web).toMatch(/<h2 id="avsnitt"[ >]/);
    expect(web).toMatch(/<h3 id="rubrik"[ >]/);
    expect(web).toMatch(/<h3 id="rubrik-1"[ >]/);
    expect(web).toContain('href="#avsnitt"');
    expect(web).not.toMatch(/id=""|id="-\d+"|href="#"/);
  });
});
