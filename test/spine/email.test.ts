import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mjml2html from 'mjml';
import { buildIssue, loadArchive } from '../../src/pipeline.ts';
import { describe, expect, it } from 'vitest';
import { buildFixture, elements, html, tempDir, testConfig } from '../support/spine.ts';

const KB = 1024;

describe('the email HTML', async () => {
  const built = await buildFixture('ten-sections', '2024-10');
  const tree = html(built.email.html);

  it('passes MJML validation at level strict with 0 errors', async () => {
    const result = await mjml2html(built.email.mjml, { validationLevel: 'soft', fonts: {} });
    expect(result.errors).toEqual([]);
    await expect(
      mjml2html(built.email.mjml, { validationLevel: 'strict', fonts: {} }),
    ).resolves.toBeDefined();
  });

  it('declares lang="sv", UTF-8 and a non-empty title', () => {
    expect(built.email.html).toMatch(/<html[^>]* lang="sv"/);
    expect(built.email.html).toMatch(/charset=UTF-8/i);
    const title = elements(tree, (node) => node.tagName === 'title')[0];
    expect(title?.children.length).toBeGreaterThan(0);
    expect(built.email.html).toContain(`<title>${built.issue.meta.subject}</title>`);
  });

  it('marks every layout table role="presentation" (content tables are data tables)', () => {
    const tables = elements(tree, (node) => node.tagName === 'table');
    const layout = tables.filter((table) => !String(table.properties.className ?? '').includes('data-table'));
    expect(layout.length).toBeGreaterThan(10);
    for (const table of layout) expect(table.properties.role).toBe('presentation');
    // Outlook's conditional tables live in comments; they must carry the role too.
    const conditional = built.email.html.match(/<table(?![^>]*role="presentation")[^>]*>/g) ?? [];
    expect(conditional.filter((tag) => !tag.includes('data-table'))).toEqual([]);
  });

  it('loads nothing from third-party hosts (no web fonts, no trackers)', () => {
    expect(built.email.html).not.toMatch(/fonts\.googleapis|@import|<link[^>]+stylesheet/);
    const sources = elements(tree, (node) => node.tagName === 'img').map((node) =>
      String(node.properties.src),
    );
    for (const src of sources) expect(new URL(src).host).toBe('natverket.example.org');
  });

  it('keeps a 10-section issue under 100 KB of HTML with <style> under 16 KB', () => {
    expect(built.issue.sections).toHaveLength(10);
    expect(Buffer.byteLength(built.email.html)).toBeLessThan(100 * KB);
    const styles = built.email.html.match(/<style[^>]*>[\s\S]*?<\/style>/g) ?? [];
    expect(Buffer.byteLength(styles.join(''))).toBeLessThan(16 * KB);
  });

  it('minifies the template CSS in <style> (MJML minifies through cssnano, which must be installed)', () => {
    const styles = built.email.html.match(/<style[^>]*>[\s\S]*?<\/style>/g) ?? [];
    const template = styles.find((style) => style.includes('color-scheme'));
    expect(template?.length).toBeGreaterThan(1000);
    // Without cssnano, htmlnano leaves the CSS as the template wrote it: indented, one rule a line.
    expect(template).not.toMatch(/\n|\{\s|;\s*\}/);
  });

  it('has a preheader, a web link and an unsubscribe token in HTML and text', () => {
    expect(built.email.html).toContain(built.issue.meta.preheader);
    expect(built.email.preheader.length).toBeGreaterThan(10);
    expect(built.email.html).toContain('Läs i webbläsaren');
    expect(built.email.html).toContain(`href="${built.issue.url}"`);
    expect(built.email.html).toContain('href="NYHETSBREV_UNSUBSCRIBE_URL"');
    expect(built.email.text).toContain('NYHETSBREV_UNSUBSCRIBE_URL');
  });
});

describe('links in the email', () => {
  it('resolve relative links against the issue page and keep #anchors in the message', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '2025-02'));
    writeFileSync(
      join(dir, '2025-02', 'issue.md'),
      '---\ntitle: T\ndate: 2025-02-27\neditor: K\n---\nSe [förra numret](../2025-01/) och noten[^1].\n\n[^1]: Not.\n',
    );
    writeFileSync(join(dir, '2025-02', '01-a.md'), '# A\n\nText.\n');
    const config = testConfig();
    const built = await buildIssue(await loadArchive(dir, config), '2025-02', config);
    expect(built.email.html).toContain('href="https://natverket.example.org/nyhetsbrev/2025-01/"');
    expect(built.email.html).toMatch(/href="#ledare-fn-1"/);
    expect(built.web).toContain('href="../2025-01/"');
  });
});
