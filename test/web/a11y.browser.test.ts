import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { serveStatic, type StaticServer } from '../support/static-server.ts';
import { axeViolations } from './axe.ts';
import { buildFixtureSite, buildSamples, SAMPLE_IDS } from './site.ts';

const PAGES = ['', '2026-01/', '2025-12/', 'tillganglighet/', 'prenumerera/', 'sok/'];
const WEB_CASES = PAGES.flatMap((path) =>
  [320, 1280].flatMap((width) => (['light', 'dark'] as const).map((scheme) => ({ path, width, scheme }))),
);
const EMAILS = ['2025-11', '2025-12', '2026-01'];

let out: string;
let server: StaticServer;
let browser: Browser;
let page: Page;
let samples: StaticServer | undefined;

beforeAll(async () => {
  out = await buildFixtureSite();
  server = await serveStatic(join(out, 'web'), '/nyhetsbrev/');
  browser = await launchChromium();
  page = await browser.newPage();
  if (SAMPLE_IDS.length > 0) samples = await serveStatic(join(await buildSamples(), 'web'), '/nyhetsbrev/');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await samples?.close();
});

describe('axe (WCAG 2.1 A/AA, EN 301 549) on the web archive', () => {
  it.each(WEB_CASES)(
    'reports no violations on /$path at $width px, $scheme',
    async ({ path, width, scheme }) => {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
      expect(await axeViolations(page)).toEqual([]);
    },
  );
});

// The samples have wide tables, which is where a 320 px screen gets hard.
describe.skipIf(SAMPLE_IDS.length === 0)('axe on the sample issues', () => {
  it.each(SAMPLE_IDS.flatMap((id) => (['light', 'dark'] as const).map((scheme) => ({ id, scheme }))))(
    'reports no violations on /$id/ at 320 px, $scheme',
    async ({ id, scheme }) => {
      await page.setViewportSize({ width: 320, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${samples!.url}${id}/`, { waitUntil: 'load' });
      expect(await axeViolations(page)).toEqual([]);
    },
  );
});

describe('axe on the email HTML', () => {
  it.each(
    EMAILS.flatMap((id) =>
      [320, 600].flatMap((width) => (['light', 'dark'] as const).map((scheme) => ({ id, width, scheme }))),
    ),
  )('reports no violations on email/$id at $width px, $scheme', async ({ id, width, scheme }) => {
    const email = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
    // The email's images are absolute URLs at the (unreachable) public site: never fetch them.
    await email.route('**/*', (route) => route.abort());
    await email.setContent(readFileSync(join(out, 'email', `${id}.html`), 'utf8'), { waitUntil: 'load' });
    expect(await axeViolations(email)).toEqual([]);
    await email.close();
  });
});
