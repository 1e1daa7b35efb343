import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/build/index.ts';
import { launchChromium } from '../support/browser.ts';
import { serveStatic, type StaticServer } from '../support/static-server.ts';
import { tempDir } from '../support/spine.ts';
import { axeViolations } from '../web/axe.ts';
import { htmlProblems } from '../web/checks.ts';
import { SAMPLE_IDS, webConfig } from '../web/site.ts';

// The sample issues (issues/) built with the sample theme themes/exempel-myndighet/: its logo,
// colours, font and partials in the email and on the web, read in real Chromium.
const THEME = resolve('themes/exempel-myndighet');
const config = webConfig(`theme: ${THEME}\n`);
const ID = SAMPLE_IDS.at(-1)!;

let out: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  out = tempDir('nyhetsbrev-theme-');
  await buildSite(config, { issuesDir: resolve('issues'), outDir: out, ids: [], drafts: true });
  server = await serveStatic(join(out, 'web'), '/nyhetsbrev/');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const read = (path: string) => readFileSync(join(out, path), 'utf8');

async function open(scheme: 'light' | 'dark', width: number, target: { url: string } | { html: string }) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
  if ('html' in target) {
    // The email's images are at the public archive: serve them from the build instead.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (!url.startsWith(config.baseUrl)) return route.abort();
      return route.fulfill({ path: join(out, 'web', url.slice(config.baseUrl.length)) });
    });
    await page.setContent(target.html, { waitUntil: 'load' });
  } else {
    await page.goto(target.url, { waitUntil: 'load' });
  }
  return page;
}

/** Colours and font of what the reader sees first, and which logo images show. */
function look(page: Page, heading: string) {
  return page.evaluate((selector) => {
    const style = (element: Element) => getComputedStyle(element);
    const logos = Array.from(document.querySelectorAll('img.logo'))
      .filter((image) => image.getBoundingClientRect().width > 0)
      .map((image) => (image as HTMLImageElement).currentSrc.replace(/^.*\//, ''));
    return {
      heading: style(document.querySelector(selector)!).color,
      font: style(document.querySelector(selector)!).fontFamily,
      logos,
      logoLoaded: Array.from(document.querySelectorAll('img.logo')).every(
        (image) => (image as HTMLImageElement).naturalWidth > 0 || image.getBoundingClientRect().width === 0,
      ),
    };
  }, heading);
}

describe.skipIf(SAMPLE_IDS.length === 0)('the sample issues with the sample theme', () => {
  it('copies the logo files into the archive and writes the theme’s colours and font into its stylesheet', () => {
    for (const file of ['logo.svg', 'logo-dark.svg', 'logo.png', 'logo-dark.png']) {
      expect(readFileSync(join(out, 'web/assets/theme', file))).toEqual(readFileSync(join(THEME, file)));
    }
    const css = read('web/assets/style.css');
    expect(css).toMatch(
      /:root \{[^}]*--accent: #00594f;[^}]*--font: Georgia, 'Times New Roman', Times, serif;/,
    );
    expect(css).toMatch(/prefers-color-scheme: dark\) \{\s*:root \{[^}]*--accent: #7fd6c2;/);
  });

  it('puts the logo in the email header from the archive, with alt text, size and a dark variant, in the theme’s own header', () => {
    const html = read(`email/${ID}.html`);
    const logo = `src="${config.baseUrl}assets/theme/logo.png" alt="Exempelmyndigheten" width="200" height="58"`;
    expect(html).toContain(logo);
    expect(html).toContain(`src="${config.baseUrl}assets/theme/logo-dark.png"`);
    expect(html).toContain('sec-band'); // the theme's header partial
    expect(html).toContain('#00594f'); // light accent
    expect(html).toMatch(/prefers-color-scheme: ?dark\)[\s\S]*#7fd6c2/);
    expect(html).toContain("font-family:Georgia,'Times New Roman',Times,serif"); // minified
    // The theme has no email footer: the default one, with its unsubscribe link.
    expect(html).toMatch(/href="[^"]*avregistrera\?t=/);
  });

  it('puts the logo on the web pages as a picture with a dark source, and the theme’s footer', async () => {
    const page = read(`web/${ID}/index.html`);
    expect(page).toContain(
      '<source srcset="../assets/theme/logo-dark.svg" media="(prefers-color-scheme: dark)"',
    );
    expect(page).toContain('src="../assets/theme/logo.svg" alt="Exempelmyndigheten" width="200" height="58"');
    expect(page).toContain('Box 1234, 100 00 Exempelstad'); // the theme's web footer
    expect(read('web/index.html')).toContain('src="assets/theme/logo.svg"');
    for (const path of [`${ID}/index.html`, 'index.html']) {
      expect(await htmlProblems(join(out, 'web'), path)).toEqual([]);
    }
  });

  it.each([
    { scheme: 'light' as const, heading: 'rgb(0, 89, 79)', logo: 'logo.svg' },
    { scheme: 'dark' as const, heading: 'rgb(127, 214, 194)', logo: 'logo-dark.svg' },
  ])('shows the theme in Chromium on the web, $scheme', async ({ scheme, heading, logo }) => {
    const page = await open(scheme, 1280, { url: `${server.url}${ID}/` });
    expect(await look(page, 'h1')).toEqual({
      heading,
      font: 'Georgia, "Times New Roman", Times, serif',
      logos: [logo],
      logoLoaded: true,
    });
    await page.close();
  });

  it.each([
    { scheme: 'light' as const, heading: 'rgb(0, 89, 79)', logo: 'logo.png' },
    { scheme: 'dark' as const, heading: 'rgb(127, 214, 194)', logo: 'logo-dark.png' },
  ])('shows the theme in Chromium in the email, $scheme', async ({ scheme, heading, logo }) => {
    const page = await open(scheme, 600, { html: read(`email/${ID}.html`) });
    expect(await look(page, '.sec-card h1')).toEqual({
      heading,
      font: 'Georgia, "Times New Roman", Times, serif',
      logos: [logo],
      logoLoaded: true,
    });
    await page.close();
  });

  const schemes = ['light', 'dark'] as const;
  it.each(
    ['', `${ID}/`, 'tillganglighet/'].flatMap((path) =>
      [320, 1280].flatMap((width) => schemes.map((scheme) => ({ path, width, scheme }))),
    ),
  )('has no axe violations on the web: /$path at $width px, $scheme', async ({ path, width, scheme }) => {
    const page = await open(scheme, width, { url: `${server.url}${path}` });
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it.each([320, 600].flatMap((width) => schemes.map((scheme) => ({ width, scheme }))))(
    'has no axe violations in the email at $width px, $scheme',
    async ({ width, scheme }) => {
      const page = await open(scheme, width, { html: read(`email/${ID}.html`) });
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
    },
  );
});
