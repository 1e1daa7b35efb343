import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/build/index.ts';
import { TEXT_WIDTH, length } from '../../src/text/wrap.ts';
import { ISSUE_FIXTURES, buildFixture, elements, html, tempDir, testConfig } from '../support/spine.ts';
import { hashTree } from '../support/tree-hash.ts';

describe('footnotes', async () => {
  const built = await buildFixture('footnotes', '2024-02');

  it('link from each reference to its note and back on the web page', () => {
    const tree = html(built.web);
    const ids = new Set(
      elements(tree, (node) => node.properties.id !== undefined).map((node) => String(node.properties.id)),
    );
    const refs = elements(
      tree,
      (node) => node.tagName === 'a' && node.properties.dataFootnoteRef !== undefined,
    );
    const backs = elements(
      tree,
      (node) => node.tagName === 'a' && node.properties.dataFootnoteBackref !== undefined,
    );
    expect(refs.length).toBeGreaterThan(1);
    expect(backs.length).toBe(refs.length);
    for (const link of [...refs, ...backs]) {
      expect(ids.has(String(link.properties.href).slice(1)), String(link.properties.href)).toBe(true);
    }
  });

  it('are numbered in the text part, each note listed once after its section', () => {
    const text = built.email.text;
    expect(text).toMatch(/\[1\]/);
    const notes = text.split('\n').filter((line) => /^\[\d+\] /.test(line));
    expect(notes.length).toBeGreaterThan(0);
    const numbers = notes.map((line) => Number(/^\[(\d+)\]/.exec(line)![1]));
    for (const number of numbers)
      expect(text.indexOf(`[${number}]`)).toBeLessThan(text.indexOf(`\n[${number}] `));
  });
});

describe('the plain-text part', async () => {
  const built = await buildFixture('ten-sections', '2024-10');
  const lines = built.email.text.split('\n');

  it('wraps lines at 78 characters (only an unbreakable URL may stand longer, alone)', () => {
    for (const line of lines) {
      if (length(line) > TEXT_WIDTH) expect(line.trim(), line).toMatch(/^\S+$/);
    }
    expect(lines.some((line) => length(line) > 60)).toBe(true);
  });

  it('has headings, lists and links written as text with their URL', () => {
    for (const section of built.issue.sections) expect(built.email.text).toContain(section.title);
    expect(built.email.text).toMatch(/^- /m);
    expect(built.email.text).toMatch(/\(https?:\/\/[^)]+\)|^https?:\/\//m);
    expect(built.email.text).not.toMatch(/<[a-z][^>]*>/);
  });
});

describe('build output', () => {
  it('is byte-identical when built twice', async () => {
    const config = testConfig();
    const options = { issuesDir: join(ISSUE_FIXTURES, 'teasers'), ids: [], drafts: false };
    const first = tempDir();
    const second = tempDir();
    await buildSite(config, { ...options, outDir: first });
    await buildSite(config, { ...options, outDir: second });
    const a = hashTree(first);
    expect(Object.keys(a).length).toBeGreaterThan(10);
    expect(hashTree(second)).toEqual(a);
  });

  it('keeps åäö and typographic characters in every output, and every HTML file declares UTF-8', async () => {
    const out = tempDir();
    const config = testConfig();
    await buildSite(config, {
      issuesDir: join(ISSUE_FIXTURES, 'footnotes'),
      outDir: out,
      ids: [],
      drafts: false,
    });
    const files = Object.keys(hashTree(out)).filter((path) => /\.(html|txt)$/.test(path));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const path of files) {
      const text = readFileSync(join(out, path), 'utf8');
      expect(text, path).toMatch(/[åäöÅÄÖ]/);
      expect(text, path).not.toMatch(/Ã|&#xE5;|&aring;|\uFFFD/);
      if (path.endsWith('.html')) expect(text, path).toMatch(/<meta charset="utf-8">|charset=UTF-8/i);
    }
  });
});
