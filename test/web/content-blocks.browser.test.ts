import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { buildFixture, ISSUE_FIXTURES } from '../support/spine.ts';
import { serveStatic, type StaticServer } from '../support/static-server.ts';
import { axeViolations } from './axe.ts';
import { buildWeb, webConfig } from './site.ts';

// The content-blocks fixture: fact boxes, signatures of several lines, links to other sites
// (marked with hidden text and an icon), a back-link after every section.
let server: StaticServer;
let browser: Browser;
let page: Page;
let emailHtml: string;

beforeAll(async () => {
  const { site } = await buildWeb(join(ISSUE_FIXTURES, 'content-blocks'));
  server = await serveStatic(site, '/nyhetsbrev/');
  emailHtml = (await buildFixture('content-blocks', '2024-05', webConfig())).email.html;
  browser = await launchChromium();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('axe on an issue with fact boxes, signatures and external links', () => {
  it.each([320, 1280].flatMap((width) => (['light', 'dark'] as const).map((scheme) => ({ width, scheme }))))(
    'reports no violations on its web page at $width px, $scheme',
    async ({ width, scheme }) => {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${server.url}2024-05/`, { waitUntil: 'load' });
      expect(await axeViolations(page)).toEqual([]);
    },
  );

  it.each([320, 600].flatMap((width) => (['light', 'dark'] as const).map((scheme) => ({ width, scheme }))))(
    'reports no violations on its email at $width px, $scheme',
    async ({ width, scheme }) => {
      const email = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
      await email.route('**/*', (route) => route.abort());
      await email.setContent(emailHtml, { waitUntil: 'load' });
      expect(await axeViolations(email)).toEqual([]);
      await email.close();
    },
  );
});

describe('the web page in a browser', () => {
  it('shows the external-link text to screen readers only, and the icon beside the link text', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}2024-05/`, { waitUntil: 'load' });
    const link = page.getByRole('link', { name: 'Cybersäkerhetscentrets råd (Länk till annan webbplats)' });
    await expect(link.count()).resolves.toBe(1);
    const hidden = await link.locator('.visually-hidden').boundingBox();
    expect(hidden && hidden.width * hidden.height).toBeLessThanOrEqual(1);
    const icon = await link.locator('svg').boundingBox();
    expect(icon?.width).toBeGreaterThan(8);
    expect(icon?.width).toBeLessThan(20);
  });

  it('exposes each fact box as a complementary region named by its heading', async () => {
    await page.goto(`${server.url}2024-05/`, { waitUntil: 'load' });
    await expect(page.getByRole('complementary', { name: 'Om temamötet' }).count()).resolves.toBe(1);
    await expect(page.getByRole('complementary', { name: 'Fakta' }).count()).resolves.toBe(1);
  });
});
