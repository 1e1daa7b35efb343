import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './axe.ts';
import { browserForFile } from './browser-page.ts';
import type { TestServer } from './helpers.ts';

const SAMPLE = resolve('themes/exempel-myndighet');

let server: TestServer;
let page: Page;
const cspViolations: string[] = [];

browserForFile({ theme: SAMPLE }, cspViolations, (started) => ({ server, page } = started));

describe("serve's pages with a theme", () => {
  it('show the theme logo in the header, light and dark, with alt text and size', async () => {
    const html = await (await fetch(server.endpoint)).text();
    expect(html).toContain(
      '<source srcset="assets/theme/logo-dark.svg" media="(prefers-color-scheme: dark)" width="200"',
    );
    expect(html).toMatch(
      /<img class="logo" src="assets\/theme\/logo\.svg" alt="Exempelmyndigheten" width="200" height="\d+">/,
    );
  });

  it('answer the logo files with 200 and their content type, and nothing else under assets/theme/', async () => {
    for (const file of ['logo.svg', 'logo-dark.svg']) {
      const response = await fetch(new URL(`assets/theme/${file}`, server.endpoint));
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type'), file).toBe('image/svg+xml');
      expect(await response.text(), file).toContain('<svg');
    }
    const other = await fetch(new URL('assets/theme/theme.yml', server.endpoint));
    expect(other.status).toBe(404);
    expect(server.logs.some((line) => /^GET assets\/theme 200 \d+ms$/.test(line))).toBe(true);
  });

  it('load the logo under the CSP and stay free of axe violations in light and dark mode', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const response = await page.goto(server.endpoint, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      const shown = await page.evaluate(() => {
        const img = document.querySelector<HTMLImageElement>('.site-header img.logo')!;
        return { width: img.naturalWidth, src: img.currentSrc };
      });
      expect(shown.width, scheme).toBeGreaterThan(0);
      expect(shown.src, scheme).toMatch(scheme === 'dark' ? /logo-dark\.svg$/ : /\/logo\.svg$/);
      expect(await axeViolations(page), scheme).toEqual([]);
    }
    expect(cspViolations).toEqual([]);
  });
});
