import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { startTestServer, type TestServer } from './helpers.ts';

/** What a browser test of serve's pages works with. */
export interface ServedBrowser {
  server: TestServer;
  browser: Browser;
  page: Page;
}

/**
 * A test server (started with `options`) and one Chromium page for a file's tests: started before
 * them and handed to `use`, closed after them. The page's console messages about the Content
 * Security Policy are pushed to `cspViolations`.
 */
export function browserForFile(
  options: Parameters<typeof startTestServer>[0],
  cspViolations: string[],
  use: (started: ServedBrowser) => void,
): void {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startTestServer(options);
    browser = await launchChromium();
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    use({ server, browser, page });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
}
