import mjml2html from 'mjml';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailData } from '../../src/render/email.ts';
import { loadTemplate } from '../../src/render/templates.ts';
import { launchChromium } from '../support/browser.ts';
import { buildFixture } from '../support/spine.ts';
import { axeViolations } from './axe.ts';
import { webConfig } from './site.ts';

// The kalendarium fixture's email (a calendar link, a list, times) and the content-blocks one
// (fact boxes, tables of several lines, external links), in Chromium's light and dark emulation.
let browser: Browser;
const emails: Record<string, string> = {};

beforeAll(async () => {
  emails.kalendarium = (await buildFixture('kalendarium', '2026-11', webConfig())).email.html;
  emails['content-blocks'] = (await buildFixture('content-blocks', '2024-05', webConfig())).email.html;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function open(html: string, scheme: 'light' | 'dark', width = 600): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
  // The email's images and links are absolute URLs at the (unreachable) public site.
  await page.route('**/*', (route) => route.abort());
  await page.setContent(html, { waitUntil: 'load' });
  return page;
}

/** Computed colours of the parts a reader sees first. */
async function palette(page: Page) {
  return page.evaluate(() => {
    const style = (selector: string) => getComputedStyle(document.querySelector(selector)!);
    return {
      page: style('body').backgroundColor,
      card: style('.sec-card').backgroundColor,
      heading: style('h1').color,
      text: style('.sec-card p').color,
      link: style('.sec-card a').color,
    };
  });
}

describe('the email in dark mode', () => {
  it('declares that it has a light and a dark design', () => {
    for (const html of Object.values(emails)) {
      expect(html).toContain('<meta name="color-scheme" content="light dark">');
      expect(html).toContain('<meta name="supported-color-schemes" content="light dark">');
      expect(html).toMatch(/@media \(prefers-color-scheme: ?dark\)/);
      expect(html).toMatch(/\[data-ogsc\] \.sec-card a/);
    }
  });

  it('turns dark: light text on a dark page, unlike the light design', async () => {
    const light = await open(emails.kalendarium!, 'light');
    const dark = await open(emails.kalendarium!, 'dark');
    const [day, night] = [await palette(light), await palette(dark)];
    expect(day).toMatchObject({ page: 'rgb(238, 241, 244)', card: 'rgb(255, 255, 255)' });
    // The default theme's dark page and background (the web archive's background is the card).
    expect(night).toEqual({
      page: 'rgb(13, 16, 19)',
      card: 'rgb(20, 24, 28)',
      heading: 'rgb(156, 195, 239)',
      text: 'rgb(230, 233, 236)',
      link: 'rgb(140, 196, 255)',
    });
    expect(await dark.screenshot()).not.toEqual(await light.screenshot());
    await light.close();
    await dark.close();
  });

  it.each(
    ['kalendarium', 'content-blocks'].flatMap((name) =>
      [320, 600].flatMap((width) => (['light', 'dark'] as const).map((scheme) => ({ name, width, scheme }))),
    ),
  )('has no axe violations: $name at $width px, $scheme', async ({ name, width, scheme }) => {
    const page = await open(emails[name]!, scheme, width);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('shows the dark logo variant in place of the light one, once a theme gives a logo', async () => {
    const built = await buildFixture('kalendarium', '2026-11', webConfig());
    const logo = {
      light: { src: 'https://example.org/logo.png', alt: 'Myndighetsnätverket', width: 160, height: 40 },
      dark: { src: 'https://example.org/logo-dark.png', width: 160, height: 40 },
    };
    const partials = webConfig().theme.partials.email;
    const mjml = loadTemplate('email', 'issue.mjml.hbs', { partials })({
      ...emailData(built.issue, webConfig()),
      logo,
    });
    const { html } = await mjml2html(mjml, { validationLevel: 'strict' });
    const shown = async (scheme: 'light' | 'dark') => {
      const page = await open(html, scheme);
      const visible = await page.evaluate(() =>
        Array.from(document.querySelectorAll('.logo-light, .logo-dark'))
          .filter((element) => getComputedStyle(element).display !== 'none')
          .map((element) => element.querySelector('img')?.getAttribute('src')),
      );
      await page.close();
      return visible;
    };
    expect(await shown('light')).toEqual([logo.light.src]);
    expect(await shown('dark')).toEqual([logo.dark.src]);
  });
});
