import mjml2html from 'mjml';
import { describe, expect, it } from 'vitest';
import { confirmEmailFor, renderConfirmEmail } from '../../src/serve/confirm-email.ts';
import { elements, html, testConfig } from '../support/spine.ts';

const KB = 1024;
const config = { ...testConfig(), endpoint: 'https://natverket.example.org/prenumeration/' };
const confirmUrl =
  'https://natverket.example.org/prenumeration/bekrafta?t=MS4xNzk2MDI1OTEzLmhJTGhKeA.glSNEG37okBqDoUgv5wmFw';

describe('the confirmation email', async () => {
  const email = await renderConfirmEmail(config, {
    confirmUrl,
    expiresAt: new Date('2026-11-30T08:00:00Z'),
    listNames: ['Nyhetsbrevet', 'Nätverket för digital tillgänglighet'],
  });
  const tree = html(email.html);

  it('passes MJML validation at level strict with 0 errors', async () => {
    expect(email.errors).toEqual([]);
    const soft = await mjml2html(email.mjml, { validationLevel: 'soft', fonts: {} });
    expect(soft.errors).toEqual([]);
    await expect(mjml2html(email.mjml, { validationLevel: 'strict', fonts: {} })).resolves.toBeDefined();
  });

  it('declares lang="sv", UTF-8 and a non-empty title (the subject)', () => {
    expect(email.html).toMatch(/<html[^>]* lang="sv"/);
    expect(email.html).toMatch(/charset=UTF-8/i);
    expect(email.subject).toBe('Bekräfta din prenumeration på Nyhetsbrev från Myndighetsnätverket');
    expect(email.html).toContain(`<title>${email.subject}</title>`);
  });

  it('marks every layout table role="presentation", Outlook conditionals included', () => {
    const tables = elements(tree, (node) => node.tagName === 'table');
    expect(tables.length).toBeGreaterThan(3);
    for (const table of tables) expect(table.properties.role).toBe('presentation');
    expect(email.html.match(/<table(?![^>]*role="presentation")[^>]*>/g) ?? []).toEqual([]);
  });

  it('stays under 100 KB with <style> under 16 KB', () => {
    expect(Buffer.byteLength(email.html)).toBeLessThan(100 * KB);
    const styles = email.html.match(/<style[^>]*>[\s\S]*?<\/style>/g) ?? [];
    expect(Buffer.byteLength(styles.join(''))).toBeLessThan(16 * KB);
  });

  it('loads nothing from anywhere and links only to the newsletter’s own site', () => {
    expect(email.html).not.toMatch(/fonts\.googleapis|@import|<link[^>]+stylesheet|<img|<script/);
    const hrefs = elements(tree, (node) => node.tagName === 'a').map((node) => String(node.properties.href));
    expect(hrefs).toContain(confirmUrl);
    for (const href of hrefs) expect(new URL(href).host).toBe('natverket.example.org');
  });

  it('says what to do, for which lists, until when — and never greets by a name from the form', () => {
    for (const part of [email.html, email.text]) {
      expect(part).toContain('Bekräfta prenumerationen');
      expect(part).toContain('Nätverket för digital tillgänglighet');
      expect(part).toContain('30 november 2026');
      expect(part).toContain('bortse från meddelandet');
    }
    expect(email.text).toContain(confirmUrl);
    expect(email.text).not.toMatch(/<[a-z]|&amp;|&#/);
    expect(email.html).not.toMatch(/Hej /);
  });
});

describe('the confirmation email rendered once and personalised per token', () => {
  it('is byte for byte what rendering it for that token gives', async () => {
    const input = { expiresAt: new Date('2026-11-30T08:00:00Z'), listNames: ['Nyhetsbrevet'] };
    for (const token of [
      'MS4xNzk2MDI1OTEzLmhJTGhKeA.glSNEG37okBqDoUgv5wmFw',
      'Mi4xNzk2MDI1OTEzLmFiY2RlZg.x-_yz',
    ]) {
      const confirmUrl = `https://natverket.example.org/prenumeration/bekrafta?t=${token}`;
      const cached = await confirmEmailFor(config, { ...input, confirmUrl }, token);
      expect(cached).toEqual(await renderConfirmEmail(config, { ...input, confirmUrl }));
      expect(cached.text).toContain(confirmUrl);
    }
  });
});
