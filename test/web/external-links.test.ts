import type { Element } from 'hast';
import { toText } from 'hast-util-to-text';
import { describe, expect, it } from 'vitest';
import { buildFixture, elements, html, testConfig } from '../support/spine.ts';

// The content-blocks fixture links to two other sites, to the archive (an absolute URL under
// baseUrl), to the agency's own site (same host), to an email address and to an anchor.
const OTHER_SITES = [
  'https://www.cybersakerhet.example.se/rad',
  'https://www.samhallsskydd.example.se/incidentrapportering',
];

async function contentLinks(extra = '') {
  const built = await buildFixture('content-blocks', '2024-05', testConfig(extra));
  const article = elements(html(built.web), (node) => node.tagName === 'article')[0]!;
  const links = elements({ type: 'root', children: [article] }, (node) => node.tagName === 'a');
  return { built, links };
}

const marked = (link: Element) => ({
  href: String(link.properties.href),
  hidden: elements({ type: 'root', children: [link] }, (node) => node.tagName === 'span').map((node) => [
    toText(node),
    node.properties.className,
    node.properties.dataPagefindIgnore,
  ]),
  icon: elements({ type: 'root', children: [link] }, (node) => node.tagName === 'svg').map((node) => [
    node.properties.ariaHidden,
    node.properties.focusable,
  ]),
});

describe('links that leave the site, on the web page', () => {
  it('get visually hidden "(Länk till annan webbplats)", out of the search index, and an icon hidden from screen readers', async () => {
    const { links } = await contentLinks();
    const external = links.filter((link) => OTHER_SITES.includes(String(link.properties.href)));
    expect(external.map(marked)).toEqual(
      OTHER_SITES.map((href) => ({
        href,
        hidden: [[' (Länk till annan webbplats)', ['visually-hidden'], '']],
        icon: [['true', 'false']],
      })),
    );
    expect(toText(external[0]!)).toBe('Cybersäkerhetscentrets råd (Länk till annan webbplats)');
  });

  it('are the only ones marked: never the archive, the same host, mailto: or an anchor', async () => {
    const { links } = await contentLinks();
    const others = links.filter((link) => !OTHER_SITES.includes(String(link.properties.href)));
    expect(others.map((link) => String(link.properties.href))).toEqual(
      expect.arrayContaining([
        'https://natverket.example.org/nyhetsbrev/2024-04/',
        'https://natverket.example.org/anmalan/temamote-cybersakerhet',
        'mailto:kansliet@natverket.example.org',
        '#i-detta-nummer',
      ]),
    );
    for (const link of others) expect(marked(link)).toMatchObject({ hidden: [], icon: [] });
  });

  it('are not marked in the email (README says why)', async () => {
    const { built } = await contentLinks();
    expect(built.email.html).not.toContain('Länk till annan webbplats');
    expect(built.email.html).not.toContain('external-icon');
    expect(built.email.text).not.toContain('Länk till annan webbplats');
  });

  it('follow the config: no icon, no marking, other hosts of the same site', async () => {
    const noIcon = await contentLinks('externalLinks:\n  icon: false');
    const first = noIcon.links.find((link) => link.properties.href === OTHER_SITES[0])!;
    expect(marked(first)).toMatchObject({
      hidden: [[' (Länk till annan webbplats)', ['visually-hidden'], '']],
      icon: [],
    });

    const off = await contentLinks('externalLinks:\n  mark: false');
    expect(off.built.web).not.toContain('Länk till annan webbplats');

    const sameSite = await contentLinks('externalLinks:\n  sameSite: [www.samhallsskydd.example.se]');
    const hrefs = sameSite.links
      .filter((link) => marked(link).hidden.length > 0)
      .map((link) => link.properties.href);
    expect(hrefs).toEqual([OTHER_SITES[0]]);
  });

  it('is said in the reader’s language', async () => {
    const { links } = await contentLinks('locale: en');
    const first = links.find((link) => link.properties.href === OTHER_SITES[0])!;
    expect(toText(first)).toBe('Cybersäkerhetscentrets råd (Link to another website)');
  });
});
