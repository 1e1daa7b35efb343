import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { toText } from 'hast-util-to-text';
import { describe, expect, it } from 'vitest';
import { emailAnchors } from '../../src/render/email-content.ts';
import { ISSUE_FIXTURES, buildFixture, elements, html } from '../support/spine.ts';

const sectionFiles = (fixture: string, id: string) =>
  readdirSync(join(ISSUE_FIXTURES, fixture, id))
    .filter((name) => name.endsWith('.md') && name !== 'issue.md')
    .sort();

describe.each(['email', 'web'] as const)('the %s output', (output) => {
  it('has a table of contents with one entry per section file, in file order, each linking to an anchor in the document', async () => {
    const built = await buildFixture('ten-sections', firstId('ten-sections'));
    const tree = html(output === 'email' ? built.email.html : built.web);
    // The email's anchors are ASCII (`#temamote`), the web page's readable (`#temamöte`).
    const anchor = output === 'email' ? emailAnchors(built.issue) : (slug: string) => slug;
    const tocHeading = elements(tree, (node) => node.properties.id === 'i-detta-nummer')[0];
    expect(tocHeading && toText(tocHeading)).toBe('I detta nummer');
    const tocLinks = elements(
      tree,
      (node) => node.tagName === 'a' && String(node.properties.href).startsWith('#'),
    )
      .filter((link) => built.issue.toc.some((entry) => `#${anchor(entry.slug)}` === link.properties.href))
      .slice(0, built.issue.toc.length);
    const files = sectionFiles('ten-sections', built.issue.id);
    expect(files).toHaveLength(10);
    expect(tocLinks).toHaveLength(files.length);
    const ids = new Set(
      elements(tree, (node) => node.properties.id !== undefined).map((node) => String(node.properties.id)),
    );
    const titles = built.issue.sections.map((section) => section.file.basename);
    expect(titles).toEqual(files);
    for (const [index, link] of tocLinks.entries()) {
      const target = String(link.properties.href).slice(1);
      expect(ids.has(target), `anchor ${target}`).toBe(true);
      expect(toText(link)).toBe(built.issue.sections[index]!.title);
    }
  });

  it('renders section titles as h2 and a ## inside a section as h3', async () => {
    const built = await buildFixture('footnotes', firstId('footnotes'));
    const tree = html(output === 'email' ? built.email.html : built.web);
    const h2 = elements(tree, (node) => node.tagName === 'h2').map((node) => toText(node));
    for (const section of built.issue.sections) expect(h2).toContain(section.title);
    const subHeadings = built.issue.sections.flatMap((section) =>
      section.body.mdast.children.filter((node) => node.type === 'heading'),
    );
    expect(subHeadings.length).toBeGreaterThan(0);
    const h3 = elements(tree, (node) => node.tagName === 'h3').map((node) => toText(node));
    for (const heading of subHeadings) {
      expect(heading.type === 'heading' && heading.depth).toBe(3);
      expect(h3).toContain(heading.type === 'heading' ? toTextOf(heading) : '');
    }
    expect(elements(tree, (node) => node.tagName === 'h1')).toHaveLength(1);
  });
});

describe('anchors', () => {
  it('gives two sections with the same title distinct anchors, the second suffixed -1', async () => {
    const built = await buildFixture('duplicate-titles', firstId('duplicate-titles'));
    const slugs = built.issue.sections.map((section) => section.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    const [first, second] = built.issue.sections.filter(
      (section, _, all) => all.filter((other) => other.title === section.title).length > 1,
    );
    expect(second?.slug).toBe(`${first?.slug}-1`);
  });

  it('keeps Swedish letters in anchors', async () => {
    const built = await buildFixture('ten-sections', firstId('ten-sections'));
    const withLetters = built.issue.sections.find((section) => /[åäö]/i.test(section.title));
    expect(withLetters?.slug).toMatch(/[åäö]/);
  });
});

function firstId(fixture: string): string {
  return readdirSync(join(ISSUE_FIXTURES, fixture))
    .filter((name) => /^\d{4}-\d{2}/.test(name))
    .sort()[0]!;
}

function toTextOf(node: { children?: unknown[]; value?: unknown }): string {
  if (typeof node.value === 'string') return node.value;
  return (node.children ?? []).map((child) => toTextOf(child as { children?: unknown[] })).join('');
}
