import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { serveStatic, type StaticServer } from '../support/static-server.ts';
import { axeViolations } from './axe.ts';
import { buildFixtureSite, filesUnder } from './site.ts';

let server: StaticServer;
let browser: Browser;
let page: Page;
let paths: string[];

beforeAll(async () => {
  const site = join(await buildFixtureSite(), 'web');
  paths = filesUnder(site, '.html').map((path) => path.replace(/index\.html$/, ''));
  server = await serveStatic(site, '/nyhetsbrev/');
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Loads `path` under the base path; returns every URL requested and any failed response. */
async function load(target: Page, path: string) {
  const requested: string[] = [];
  const failed: string[] = [];
  target.on('request', (request) => requested.push(request.url()));
  target.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  await target.goto(`${server.url}${path}`, { waitUntil: 'networkidle' });
  target.removeAllListeners('request');
  target.removeAllListeners('response');
  return { requested, failed };
}

describe('served under a sub-path (/nyhetsbrev/)', () => {
  it('loads every page with requests only to its own host, and every request succeeds', async () => {
    const origin = new URL(server.url).origin;
    for (const path of paths) {
      const { requested, failed } = await load(page, path);
      expect(requested.length, path).toBeGreaterThan(1);
      expect(
        requested.filter((url) => new URL(url).origin !== origin),
        path,
      ).toEqual([]);
      expect(failed, path).toEqual([]);
    }
  });

  it('fits a 320 px wide screen without horizontal scrolling', async () => {
    const narrow = await browser.newPage({ viewport: { width: 320, height: 640 } });
    for (const path of paths) {
      await narrow.goto(`${server.url}${path}`);
      expect(await narrow.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(
        320,
      );
    }
    await narrow.close();
  });
});

describe('keyboard use', () => {
  const focused = () =>
    page.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      return {
        id: element.id,
        text: element.textContent?.trim(),
        outline: style.outlineStyle,
        width: parseFloat(style.outlineWidth),
        top: box.top,
      };
    });

  it('reveals the skip link on the first Tab, with a visible outline, and moves focus to main on Enter', async () => {
    await page.goto(`${server.url}2026-01/`);
    await page.keyboard.press('Tab');
    const skip = await focused();
    expect(skip).toMatchObject({ text: 'Hoppa till innehållet', outline: 'solid' });
    expect(skip.width).toBeGreaterThanOrEqual(2);
    expect(skip.top).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    expect((await focused()).id).toBe('innehall');
  });

  it('shows a visible focus outline on every link, field and button of the subscribe page', async () => {
    await page.goto(`${server.url}prenumerera/`);
    const count = await page.locator('a, input:not([tabindex="-1"]), button').count();
    for (let index = 0; index < count; index++) {
      await page.keyboard.press('Tab');
      const state = await focused();
      expect(state.outline, `${index}: ${state.id || state.text}`).not.toBe('none');
      expect(state.width).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('search', () => {
  it('finds issues by an inflected Swedish word (Swedish stemming) and links to them under the base path', async () => {
    // The issue says "kartan"; "kartorna" only matches through the stem "kart".
    const { requested } = await load(page, 'sok/?q=kartorna');
    await page.locator('[data-search-results] li').first().waitFor();
    const links = await page
      .locator('[data-search-results] a')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('href')));
    expect(links).toContain('/nyhetsbrev/2026-01/');
    expect(await page.locator('[data-search-status]').textContent()).toMatch(/träff/);
    expect(requested.every((url) => url.startsWith(new URL(server.url).origin))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('[data-search-results] a[href="/nyhetsbrev/2026-01/"]').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Nytt år, nya nätverksträffar');
  });

  it('searches every shard of the index: a word of an older decade, of the newest year, and of both', async () => {
    const found = async (query: string) => {
      await load(page, `sok/?q=${query}`);
      await page.locator('[data-search-results] li').first().waitFor();
      return page
        .locator('[data-search-results] a')
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('href')).sort());
    };
    // "julfika" is only in 2025-11 (shard 2020-2029), "Kiruna" only in 2026-01 (the main shard).
    expect(await found('julfika')).toEqual(['/nyhetsbrev/2025-11/']);
    expect(await found('Kiruna')).toEqual(['/nyhetsbrev/2026-01/']);
    expect(await found('arkivforumet')).toEqual(['/nyhetsbrev/2025-11/', '/nyhetsbrev/2026-01/']);
    expect(await page.locator('[data-search-status]').textContent()).toMatch(/2 träffar/);
  });

  it('without JavaScript hides the form and shows a link to the archive', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const plain = await context.newPage();
    await plain.goto(`${server.url}sok/`);
    expect(await plain.locator('form[role="search"]').isVisible()).toBe(false);
    const fallback = plain.locator('[data-search-fallback] a');
    expect(await fallback.isVisible()).toBe(true);
    await fallback.click();
    expect(new URL(plain.url()).pathname).toBe('/nyhetsbrev/');
    await context.close();
  });
});

describe('print', () => {
  it('leaves out the navigation, teasers and skip link', async () => {
    await page.goto(`${server.url}2026-01/`);
    await page.emulateMedia({ media: 'print' });
    for (const selector of ['.site-header nav', '.teasers', '.pager', '.skip-link']) {
      expect(await page.locator(selector).first().isVisible(), selector).toBe(false);
    }
    expect(await page.locator('article').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });
});
