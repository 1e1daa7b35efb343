import { describe, expect, it } from 'vitest';
import { personalise, sampleRecipient } from '../../src/render/personalise.ts';
import { composeEmail, type ComposeContext } from '../../src/send/compose.ts';
import { encodeBatch } from '../../src/send/transports/resend.ts';
import { verifyPreferencesToken, verifyUnsubscribeToken } from '../../src/tokens.ts';
import { buildFixture, testConfig } from '../support/spine.ts';
import { SECRET } from './helpers.ts';

const TOKEN_KEY = 'c'.repeat(32);
const context: ComposeContext = {
  config: testConfig('endpoint: https://natverket.example.org/prenumeration/'),
  issueId: '2026-11',
  campaignRef: 'c7-0a1b2c3d',
  email: {
    subject: 'Ämne',
    html: '<a href="NYHETSBREV_PREFERENCES_URL">Välj</a> <a href="NYHETSBREV_UNSUBSCRIBE_URL">Av</a> NYHETSBREV_PREFERENCES_URL',
    text: 'Välj: NYHETSBREV_PREFERENCES_URL\nAv: NYHETSBREV_UNSUBSCRIBE_URL',
  },
  secret: SECRET,
  tokenKey: () => TOKEN_KEY,
};
const row = { position: 3, subscriberId: 17, email: 'anna.lindqvist@example.org' };

describe('the preferences link of an email', () => {
  it('carries a preferences token of the subscriber, beside the unsubscribe link, in HTML and text', () => {
    const email = composeEmail(context, row);
    const [preferences, unsubscribe] = /Välj: (\S+)\nAv: (\S+)/.exec(email.text)!.slice(1) as [
      string,
      string,
    ];
    expect(preferences).toMatch(/^https:\/\/natverket\.example\.org\/prenumeration\/installningar\?t=/);
    const token = new URL(preferences).searchParams.get('t')!;
    expect(verifyPreferencesToken(SECRET, token)).toEqual({ subscriberId: 17, tokenKey: TOKEN_KEY });
    // Neither token works for the other purpose.
    expect(verifyUnsubscribeToken(SECRET, token)).toBeUndefined();
    expect(verifyPreferencesToken(SECRET, new URL(unsubscribe).searchParams.get('t')!)).toBeUndefined();
    expect(email.html).toBe(
      `<a href="${preferences}">Välj</a> <a href="${unsubscribe}">Av</a> ${preferences}`,
    );
    expect(email.headers['List-Unsubscribe']).toBe(`<${unsubscribe}>`);
  });

  it('goes into the Resend batch in the right places', () => {
    const email = composeEmail(context, row);
    const [sent] = JSON.parse(encodeBatch([email]).toString('utf8')) as { html: string; text: string }[];
    expect(sent).toMatchObject({ html: email.html, text: email.text });
  });

  it('is in the footer of the rendered issue, in HTML and text; builds show a sample token', async () => {
    const built = await buildFixture('ten-sections', '2024-10');
    expect(built.email.html).toContain('href="NYHETSBREV_PREFERENCES_URL"');
    expect(built.email.text).toContain('Välj vilka listor du får:\nNYHETSBREV_PREFERENCES_URL');
    const config = testConfig();
    const sample = personalise(built.email, { unsubscribeUrl: sampleRecipient(config).unsubscribeUrl });
    expect(sample.html).toContain(`href="${sampleRecipient(config).preferencesUrl}"`);
  });
});
