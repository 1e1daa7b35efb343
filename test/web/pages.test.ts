import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toText } from 'hast-util-to-text';
import { describe, expect, it } from 'vitest';
import { archivePages } from '../../src/render/archive-pages.ts';
import { buildSite } from '../../src/build/index.ts';
import type { ParsedIssue } from '../../src/model.ts';
import { elements, tempDir } from '../support/spine.ts';
import { brokenLinks, headingProblems, htmlProblems, parse } from './checks.ts';
import { buildFixtureSite, filesUnder, webConfig } from './site.ts';

describe('the subscribe page', async () => {
  const site = join(await buildFixtureSite(), 'web');
  const tree = parse(site, 'prenumerera/index.html');
  const form = elements(tree, (node) => node.tagName === 'form')[0]!;
  const inputs = elements(tree, (node) => node.tagName === 'input');
  const byName = (name: string) => inputs.filter((node) => node.properties.name === name);

  it('posts to <endpoint>prenumerera', () => {
    expect([form.properties.method, form.properties.action]).toEqual([
      'post',
      'https://natverket.example.org/prenumeration/prenumerera',
    ]);
  });

  it('asks for a required email address and an optional name, each with a label', () => {
    expect(byName('email')[0]?.properties).toMatchObject({
      type: 'email',
      required: true,
      autoComplete: ['email'],
    });
    expect(byName('name')[0]?.properties.required).toBeUndefined();
    const labelled = new Set(
      elements(tree, (node) => node.tagName === 'label').map((node) => String(node.properties.htmlFor)),
    );
    for (const input of inputs)
      expect(labelled.has(String(input.properties.id)), String(input.properties.id)).toBe(true);
  });

  it('offers a checkbox per public list of lists.yml, the default list checked', () => {
    const lists = byName('lists');
    expect(lists.map((node) => [node.properties.value, Boolean(node.properties.checked)])).toEqual([
      ['nyhetsbrev', true],
      ['tillganglighet', false],
    ]);
    expect(lists.every((node) => node.properties.type === 'checkbox')).toBe(true);
  });

  it('has a honeypot field `website` hidden from people and assistive technology, out of the tab order', () => {
    const [honeypot] = byName('website');
    expect(honeypot?.properties).toMatchObject({ type: 'text', tabIndex: -1 });
    const wrapper = elements(
      tree,
      (node) =>
        node.properties.ariaHidden === 'true' &&
        elements({ type: 'root', children: [node] }, (child) => child === honeypot).length > 0,
    );
    expect(wrapper).toHaveLength(1);
  });

  it('leaves the list choice out when lists.yml is missing or unreadable', async () => {
    const bare = join(
      await buildFixtureSite('archive', {}, { ...webConfig(), lists: '/nonexistent/lists.yml' }),
      'web',
    );
    expect(elements(parse(bare, 'prenumerera/index.html'), (node) => node.tagName === 'fieldset')).toEqual(
      [],
    );
  });
});

describe('the accessibility statement', () => {
  it('is in Swedish, names the contact address as a mailto link and the supervisory authority (Digg)', async () => {
    const site = join(await buildFixtureSite(), 'web');
    const tree = parse(site, 'tillganglighet/index.html');
    const hrefs = elements(tree, (node) => node.tagName === 'a').map((node) => node.properties.href);
    expect(hrefs).toContain('mailto:tillganglighet@natverket.example.org');
    expect(hrefs).toContain('https://www.digg.se/tdosanmalan');
    expect(elements(tree, (node) => node.tagName === 'h1').map((node) => toText(node))).toEqual([
      'Tillgänglighetsredogörelse',
    ]);
  });

  it('shows the statement text of the config (Markdown) under "Hur tillgänglig är webbplatsen?"', async () => {
    const config = webConfig('');
    const custom = {
      ...config,
      accessibility: {
        ...config.accessibility,
        statement: 'Webbplatsen är **delvis förenlig** med lagen.\n\n# Kända brister\n\n- PDF-bilagor',
      },
    };
    const site = join(await buildFixtureSite('archive', {}, custom), 'web');
    const tree = parse(site, 'tillganglighet/index.html');
    expect(elements(tree, (node) => node.tagName === 'strong')[0]?.children).toMatchObject([
      { value: 'delvis förenlig' },
    ]);
    expect(headingProblems(tree)).toEqual([]);
  });
});

describe('year pages', () => {
  const fake = (year: number, month: number) =>
    ({
      id: `${year}-${String(month).padStart(2, '0')}`,
      meta: { date: `${year}-${String(month).padStart(2, '0')}-15` },
    }) as ParsedIssue;
  const issues = (years: number[]) =>
    years.flatMap((year) => Array.from({ length: 12 }, (_, index) => fake(year, 12 - index)));

  it('keep a small archive on one page', () => {
    const pages = archivePages(issues([2026, 2025, 2024, 2023]));
    expect(pages.front.map((group) => group.year)).toEqual(['2026', '2025', '2024', '2023']);
    expect(pages.years).toEqual([]);
  });

  it('split an archive past 50 issues: as many whole newest years on the front page as fit in 50, a page per year', () => {
    const pages = archivePages(issues([2026, 2025, 2024, 2023, 2022, 2021]));
    expect(pages.front.map((group) => group.year)).toEqual(['2026', '2025', '2024', '2023']);
    expect(pages.years.map((group) => [group.year, group.issues.length])).toEqual(
      [2026, 2025, 2024, 2023, 2022, 2021].map((year) => [String(year), 12]),
    );
  });

  it('are written, linked from the front page and valid when the archive grows past 50 issues', async () => {
    const issuesDir = tempDir('nyhetsbrev-many-');
    for (let n = 0; n < 55; n++) {
      const year = 2022 + Math.floor(n / 12);
      const id = `${year}-${String((n % 12) + 1).padStart(2, '0')}`;
      mkdirSync(join(issuesDir, id));
      writeFileSync(
        join(issuesDir, id, 'issue.md'),
        `---\ntitle: Nummer ${n + 1}\ndate: ${id}-10\n---\nIntro till nummer ${n + 1}.\n`,
      );
      writeFileSync(join(issuesDir, id, '01-nytt.md'), `# Nytt\n\nText ${n + 1}.\n`);
    }
    const out = tempDir();
    await buildSite(webConfig(), { issuesDir, outDir: out, ids: [], drafts: false, email: false });
    const site = join(out, 'web');
    expect(filesUnder(join(site, 'arkiv'), '.html')).toEqual(
      ['2022', '2023', '2024', '2025', '2026'].map((year) => `${year}/index.html`),
    );
    const front = elements(parse(site, 'index.html'), (node) => node.tagName === 'a').map(
      (node) => node.properties.href,
    );
    expect(front).toEqual(expect.arrayContaining(['arkiv/2022/', 'arkiv/2026/', '2026-07/']));
    expect(front).not.toContain('2022-01/');
    expect(elements(parse(site, 'arkiv/2022/index.html'), (node) => node.tagName === 'h3')).toHaveLength(12);
    for (const path of ['index.html', 'arkiv/2022/index.html']) {
      expect(brokenLinks(site, path, webConfig().baseUrl)).toEqual([]);
      expect(headingProblems(parse(site, path))).toEqual([]);
      expect(await htmlProblems(site, path)).toEqual([]);
    }
  });
});
