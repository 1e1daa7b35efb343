import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/build/index.ts';
import { buildIssue, loadArchive } from '../../src/pipeline.ts';
import { copyFixture } from '../check/helpers.ts';
import { tempDir, testConfig } from '../support/spine.ts';

// Links that could run code in a reader's browser, or are no place to send one, beside ones that stay.
const SECTION = `# Länkar

Läs [ett](javascript:alert(document.domain)), [två](JaVaScRiPt:alert(1)), [tre](&#106;avascript:alert(1)),
[fyra](vbscript:msgbox(1)), [fem](data:text/html,<script>alert(1)</script>) och [sex][ref].

:::fakta[Mer]
Se [sju](javascript:void(0)).
:::

Men [webben](https://natverket.example.org/), [kansliet](mailto:kansliet@natverket.example.org),
[telefon](tel:+4681234567) och [rubriken](#lankar) är kvar.

[ref]: javascript:alert(2)
`;

describe('links that could run code', () => {
  it('are published as their text only: email, text part, web page and feed', async () => {
    const dir = copyFixture('clean');
    writeFileSync(join(dir, '2024-03', '01-vagledning.md'), SECTION);
    const config = testConfig();
    const { email, web } = await buildIssue(await loadArchive(dir, config), '2024-03', config);
    const out = tempDir('nyhetsbrev-safe-links-');
    await buildSite(config, { issuesDir: dir, outDir: out, ids: [], drafts: false, email: true });
    const feed = readFileSync(join(out, 'web', 'feed.xml'), 'utf8');
    for (const [part, text] of [
      ['email', email.html],
      ['text', email.text],
      ['web', web],
      ['feed', feed],
    ] as const) {
      expect(text, part).not.toMatch(/javascript:|vbscript:|data:text\/html/i);
      for (const word of ['ett', 'två', 'tre', 'fyra', 'fem', 'sex', 'sju'])
        expect(text, part).toContain(word);
    }
    for (const html of [email.html, web]) {
      expect(html).toContain('href="https://natverket.example.org/"');
      expect(html).toContain('href="mailto:kansliet@natverket.example.org"');
      expect(html).toContain('href="tel:+4681234567"');
      expect(html).not.toMatch(/<a[^>]*>ett<\/a>/);
    }
    expect(web).toContain('href="#lankar"');
    expect(email.text).toContain('webben (https://natverket.example.org/)');
  });
});
