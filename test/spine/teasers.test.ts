import { toText } from 'hast-util-to-text';
import { describe, expect, it } from 'vitest';
import { excerpt } from '../../src/text/excerpt.ts';
import { buildFixture, elements, fixtureArchive, html, testConfig } from '../support/spine.ts';

describe('teasers ("Fler nyhetsbrev")', () => {
  it('shows in the email the issues published just before this one, newest first', async () => {
    const built = await buildFixture('teasers', '2024-03');
    expect(built.issue.teasers.email.map((teaser) => teaser.id)).toEqual(['2024-02', '2024-01']);
    const section = teaserBlock(built.email.html);
    expect(section).toContain('Februari 2024');
    expect(section).toContain('Januari 2024');
    expect(section.indexOf('Februari 2024')).toBeLessThan(section.indexOf('Januari 2024'));
  });

  it('shows on the web page the newest other published issues, never drafts', async () => {
    const built = await buildFixture('teasers', '2024-03');
    expect(built.issue.teasers.web.map((teaser) => teaser.id)).toEqual(['2024-05', '2024-04']);
    const section = teaserBlock(built.web);
    expect(section).toContain('Maj 2024');
    expect(section).toContain('April 2024');
    expect(section).not.toContain('Juni 2024');
  });

  it('shows fewer teasers when there are no earlier issues, and honours the configured count', async () => {
    const first = await buildFixture('teasers', '2024-01');
    expect(first.issue.teasers.email).toEqual([]);
    const three = await buildFixture('teasers', '2024-05', testConfig('teasers: 3'));
    expect(three.issue.teasers.email.map((teaser) => teaser.id)).toEqual(['2024-04', '2024-03', '2024-02']);
  });

  it('cuts every excerpt at a word boundary to at most 250 characters ending in "…"', async () => {
    const archive = await fixtureArchive('teasers');
    const long = archive.issues.find((issue) => issue.introText.length > 300);
    expect(long, 'fixture has an intro longer than 300 characters').toBeDefined();
    const built = await buildFixture('teasers', '2024-05', testConfig('teasers: 4'));
    const teaser = built.issue.teasers.web.find((candidate) => candidate.id === long!.id)!;
    expect([...teaser.excerpt].length).toBeLessThanOrEqual(250);
    expect(teaser.excerpt.endsWith('…')).toBe(true);
    const cut = teaser.excerpt.slice(0, -1);
    expect(long!.introText.startsWith(cut)).toBe(true);
    expect(long!.introText.charAt(cut.length)).toMatch(/[\s,.;:]/);
    expect(teaserBlock(built.web)).toContain(teaser.excerpt);
    expect(teaserBlock(built.email.html)).toContain(teaser.excerpt);
  });
});

describe('excerpt()', () => {
  it('returns short text whole, without an ellipsis', () => {
    expect(excerpt('Kort  text\nhär.', 250)).toBe('Kort text här.');
  });

  it('never cuts inside a word and never exceeds the limit', () => {
    const text = 'Nätverkets arbetsgrupp för informationsförvaltning har träffats '.repeat(10);
    for (const max of [20, 41, 90, 250]) {
      const result = excerpt(text, max);
      expect([...result].length).toBeLessThanOrEqual(max);
      expect(text.startsWith(result.slice(0, -1))).toBe(true);
      expect(text.charAt(result.length - 1)).toBe(' ');
    }
  });
});

function teaserBlock(document: string): string {
  const tree = html(document);
  const heading = elements(tree, (node) => node.properties.id === 'fler-nyhetsbrev')[0];
  expect(heading, 'the teasers heading').toBeDefined();
  const text = toText(tree);
  return text.slice(text.indexOf('Fler nyhetsbrev'));
}
