import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toText } from 'hast-util-to-text';
import { describe, expect, it } from 'vitest';
import { buildIssue, loadArchive } from '../../src/pipeline.ts';
import { elements, html, tempDir, testConfig } from '../support/spine.ts';

describe('the editorial intro', () => {
  it('turns its ## headings and its footnote label into h2, so no heading level is skipped after the h1', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '2025-01'));
    writeFileSync(
      join(dir, '2025-01', 'issue.md'),
      '---\ntitle: Nytt år\ndate: 2025-01-30\neditor: Karin\n---\nLedaren börjar här[^1].\n\n## Tack till alla\n\nText.\n\n[^1]: En not.\n',
    );
    writeFileSync(join(dir, '2025-01', '01-a.md'), '# Avsnitt\n\nText.\n');
    const config = testConfig();
    const built = await buildIssue(await loadArchive(dir, config), '2025-01', config);
    for (const document of [built.web, built.email.html]) {
      const headings = elements(html(document), (node) => /^h[1-6]$/.test(node.tagName));
      const levels = headings.map((node) => Number(node.tagName[1]));
      for (let index = 1; index < levels.length; index++) {
        expect(
          levels[index]! - levels[index - 1]!,
          headings.map((node) => `${node.tagName} ${toText(node)}`).join(' | '),
        ).toBeLessThanOrEqual(1);
      }
      const thanks = headings.find((node) => toText(node) === 'Tack till alla');
      expect(thanks?.tagName).toBe('h2');
    }
  });
});
