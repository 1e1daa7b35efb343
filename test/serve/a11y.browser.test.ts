import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { preferencesToken } from '../../src/tokens.ts';
import { axeViolations } from './axe.ts';
import { browserForFile } from './browser-page.ts';
import {
  confirmLink,
  outboxMails,
  SECRET,
  startTestServer,
  subscribeAndGetLink,
  type TestServer,
  unsubscribeTokenOf,
} from './helpers.ts';

const DAY = 24 * 60 * 60 * 1000;
const VIEWS = [320, 1280].flatMap((width) =>
  (['light', 'dark'] as const).map((scheme) => ({ width, scheme })),
);

let server: TestServer;
let browser: Browser;
let page: Page;
const cspViolations: string[] = [];

browserForFile({}, cspViolations, (started) => ({ server, browser, page } = started));

/**
 * Checks the page as loaded now: 0 axe violations at 320 and 1280 px in light and dark mode, the
 * archive's stylesheet applied under the strict CSP, and the expected heading and status.
 */
async function expectAccessible(heading: string): Promise<void> {
  expect((await page.textContent('h1'))?.trim()).toBe(heading);
  const styled = await page.evaluate(
    () => getComputedStyle(document.querySelector('.site-header')!).borderBottomStyle,
  );
  expect(styled).toBe('solid');
  for (const { width, scheme } of VIEWS) {
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeViolations(page), `${width} px, ${scheme}`).toEqual([]);
  }
  expect(cspViolations).toEqual([]);
}

async function goto(url: string, status: number): Promise<void> {
  const response = await page.goto(url, { waitUntil: 'load' });
  expect(response?.status()).toBe(status);
}

describe('axe (WCAG 2.1 A/AA, EN 301 549) on the pages of serve, in Chromium', () => {
  it('the subscribe form', async () => {
    await goto(`${server.endpoint}prenumerera`, 200);
    await expectAccessible('Prenumerera på nyhetsbrevet');
  });

  it('the subscribe form with an error', async () => {
    // Passes the browser's own type=email check, fails ours (no top-level domain).
    await page.fill('#epost', 'anna@localhost');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    await expectAccessible('Prenumerera på nyhetsbrevet');
    expect(await page.getAttribute('#epost', 'aria-invalid')).toBe('true');
  });

  it('the "check your email" page', async () => {
    await page.fill('#epost', 'webblasare@example.org');
    await page.check('#lista-tillganglighet');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    await expectAccessible('Kolla din e-post');
  });

  it('the confirm page, the confirmed page and the used-link page', async () => {
    const mails = await outboxMails(server);
    const link = confirmLink(mails.at(-1)!);
    await goto(link, 200);
    await expectAccessible('Bekräfta din prenumeration');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    await expectAccessible('Tack, din prenumeration är bekräftad');
    expect(server.deps.store.findSubscriber('webblasare@example.org')?.status).toBe('active');
    await goto(link, 409);
    await expectAccessible('Länken är redan använd');
  });

  it('the expired-link page', async () => {
    const link = await subscribeAndGetLink(server, 'for.sent@example.org');
    server.advance(8 * DAY);
    try {
      await goto(link, 410);
      await expectAccessible('Länken har gått ut');
    } finally {
      server.advance(-8 * DAY);
    }
  });

  it('the preferences page and the saved page; the form works without JavaScript', async () => {
    const { store } = server.deps;
    const id = store.findSubscriber('webblasare@example.org')!.id;
    const url = `${server.endpoint}installningar?t=${preferencesToken(SECRET, { id, tokenKey: store.tokenKey(id)! })}`;
    await goto(url, 200);
    await expectAccessible('Dina prenumerationer');
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    try {
      const plain = await noScript.newPage();
      await plain.goto(url, { waitUntil: 'load' });
      await plain.check('#lista-nyhetsbrev');
      await Promise.all([
        plain.waitForLoadState('load'),
        plain.click('.preferences-form button[type=submit]'),
      ]);
      expect((await plain.textContent('h1'))?.trim()).toBe('Dina val är sparade');
    } finally {
      await noScript.close();
    }
    expect(store.memberships(id).map((m) => m.listId)).toEqual(['nyhetsbrev', 'tillganglighet']);
    await goto(url, 200);
    await page.uncheck('#lista-tillganglighet');
    await Promise.all([page.waitForLoadState('load'), page.click('.preferences-form button[type=submit]')]);
    await expectAccessible('Dina val är sparade');
  });

  it('the unsubscribe page and the unsubscribed page', async () => {
    const id = server.deps.store.findSubscriber('webblasare@example.org')!.id;
    await goto(`${server.endpoint}avregistrera?t=${unsubscribeTokenOf(server, id)}`, 200);
    await expectAccessible('Avregistrera dig');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    await expectAccessible('Du är avregistrerad');
    expect(server.deps.store.findSubscriber('webblasare@example.org')?.status).toBe('unsubscribed');
  });

  it('the error pages: a bad link, a missing page, too many attempts', async () => {
    await goto(`${server.endpoint}avregistrera?t=trasig.lank`, 400);
    await expectAccessible('Länken fungerar inte');
    await goto(`${server.endpoint}finns-inte`, 404);
    await expectAccessible('Sidan finns inte');
    const limited = await startTestServer({ rateLimit: { limit: 0, windowMs: 60_000 } });
    try {
      await goto(`${limited.endpoint}prenumerera`, 200);
      await page.fill('#epost', 'snabb@example.org');
      await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
      await expectAccessible('För många försök');
    } finally {
      await limited.stop();
    }
  });
});
