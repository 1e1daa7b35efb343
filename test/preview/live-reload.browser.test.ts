import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../src/preview/index.ts';
import { launchChromium } from '../support/browser.ts';
import { startFixturePreview } from './helpers.ts';

let browser: Browser;
let preview: PreviewServer;
let dir: string;
let page: Page;

beforeAll(async () => {
  ({ preview, dir } = await startFixturePreview('clean'));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await preview?.close();
});

const emailText = () =>
  page
    .frameLocator('#email-desktop')
    .locator('body')
    .innerText({ timeout: 2_000 })
    .catch(() => '');
const mobileText = () =>
  page
    .frameLocator('#email-mobile')
    .locator('body')
    .innerText({ timeout: 2_000 })
    .catch(() => '');
const overlayText = () =>
  page
    .locator('#overlay:not([hidden])')
    .innerText({ timeout: 500 })
    .catch(() => '');

describe('preview in Chromium: live reload, error overlay, recovery', () => {
  it('shows the issue as email at 600 and 375 px, web page, text part, sizes and messages', async () => {
    await page.goto(`${preview.url}issues/2024-03/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await page.locator('#email-desktop').getAttribute('width')).toBe('600');
    expect(await page.locator('#email-mobile').getAttribute('width')).toBe('375');
    expect(await emailText()).toContain('Ny vägledning om e-arkiv');
    expect(await mobileText()).toContain('Ny vägledning om e-arkiv');
    expect(await page.frameLocator('#web').locator('h1').innerText()).toBe('Vårens arbete i nätverket');
    // The image of the issue is served to the web page and to the email.
    const imageWidth = await page
      .frameLocator('#web')
      .locator('img')
      .first()
      .evaluate((img: HTMLImageElement) => img.naturalWidth);
    expect(imageWidth).toBe(120);
    expect(await page.locator('#text-part').innerText()).toMatch(/^Kalendarium\n-{11}$/m);
    expect(Number(await page.locator('#meter-html').getAttribute('value'))).toBeGreaterThan(10_000);
    expect(await page.locator('#meddelanden').innerText()).toContain('Inga meddelanden');
    expect(await overlayText()).toBe('');
  });

  it('updates the open page when a section file is saved', async () => {
    const section = join(dir, '2024-03', '01-vagledning.md');
    writeFileSync(
      section,
      readFileSync(section, 'utf8').replace(
        '# Ny vägledning om e-arkiv',
        '# Ny vägledning om e-arkiv och bevarande',
      ),
    );
    await expect.poll(emailText, { timeout: 30_000 }).toContain('Ny vägledning om e-arkiv och bevarande');
    expect(await mobileText()).toContain('Ny vägledning om e-arkiv och bevarande');
  });

  it('shows an overlay with the file and line of invalid YAML, over the last good version', async () => {
    const issue = join(dir, '2024-03', 'issue.md');
    writeFileSync(
      issue,
      readFileSync(issue, 'utf8').replace('title: Vårens arbete i nätverket', 'title: Våren: nu börjar det'),
    );
    await expect.poll(overlayText, { timeout: 30_000 }).toContain('2024-03/issue.md:2:8');
    const overlay = await overlayText();
    expect(overlay).toContain('Unexpected invalid YAML in front matter');
    expect(overlay).toContain('front-matter');
    // The last version that built is still there under the overlay.
    expect(await emailText()).toContain('Ny vägledning om e-arkiv och bevarande');
  });

  it('recovers when the file is fixed, and the server stayed up throughout', async () => {
    const issue = join(dir, '2024-03', 'issue.md');
    writeFileSync(
      issue,
      readFileSync(issue, 'utf8').replace('title: Våren: nu börjar det', 'title: "Våren: nu börjar det"'),
    );
    await expect.poll(emailText, { timeout: 30_000 }).toContain('Våren: nu börjar det');
    expect(await overlayText()).toBe('');
    expect(await page.locator('#meddelanden').innerText()).toContain('Inga meddelanden');
    const start = await fetch(preview.url);
    expect(start.status).toBe(200);
    expect(await start.text()).toContain('Våren: nu börjar det');
  });
});
