import type { Config } from '../config/schema.ts';
import { personalise, preferencesUrl, TOKENS, unsubscribeUrl } from '../render/personalise.ts';
import { emailTheme } from '../render/email.ts';
import { listHeaders } from '../send/list-headers.ts';
import type { OutgoingEmail } from '../send/types.ts';
import { preferencesToken, unsubscribeToken } from '../tokens.ts';
import { fill, pageStrings } from './pages.ts';
import { renderServiceEmail } from './service-email.ts';
import type { ServeDeps } from './types.ts';

/** The welcome email with its recipient tokens still in place (see render/personalise.ts). */
export interface WelcomeEmail {
  subject: string;
  html: string;
  text: string;
  /** MJML validation problems (none for the shipped template). */
  errors: string[];
}

/**
 * Renders the welcome email (templates/email/welcome.*, strings of the config's locale) through
 * the newsletter's own path, Handlebars (strict) → MJML → HTML, plus a plain-text part. Its
 * preferences and unsubscribe links are the recipient tokens, filled in per person.
 */
export async function renderWelcomeEmail(config: Config, listNames: string[]): Promise<WelcomeEmail> {
  const { strings, s } = pageStrings(config);
  const names = { newsletter: config.newsletter, organisation: config.organisation };
  const data = {
    lang: config.locale,
    strings,
    subject: fill(s.welcomeSubject, names),
    preheader: s.welcomePreheader,
    heading: s.welcomeHeading,
    intro: fill(s.welcomeIntro, names),
    listsLabel: s.welcomeLists,
    listNames,
    archiveText: s.welcomeArchive,
    archiveUrl: config.baseUrl,
    organisation: config.organisation,
    newsletter: config.newsletter,
    unsubscribeUrl: TOKENS.unsubscribeUrl,
    preferencesUrl: TOKENS.preferencesUrl,
    ...emailTheme(config),
  };
  const { html, text, errors } = await renderServiceEmail('welcome', data);
  return { subject: data.subject, html, text, errors };
}

/**
 * Claims the subscriber's one welcome email, inside the confirmation's transaction: true (and
 * `welcomed_at` set) only when welcome emails are on, the subscriber is active, the address is not
 * suppressed, and no welcome was ever queued for them. At most once, then: a lost email is not
 * sent again, which beats a second welcome.
 */
export function claimWelcome(deps: ServeDeps, subscriberId: number): boolean {
  if (!deps.config.welcome.enabled) return false;
  const { store } = deps;
  const row = store.findSubscriberById(subscriberId);
  if (!row || row.status !== 'active' || store.suppression(row.emailKey) !== undefined) return false;
  return (
    store.db
      .prepare('UPDATE subscribers SET welcomed_at = ? WHERE id = ? AND welcomed_at IS NULL')
      .run(store.now(), subscriberId).changes === 1
  );
}

/** The address was stopped between the confirmation and the welcome email's turn in the queue. */
class WelcomeSkipped extends Error {
  override readonly name = 'WelcomeSkipped';
}

/**
 * Queues a claimed welcome email with the mailer (rendered and sent in the background, through
 * the configured transport). Just before it goes, the subscriber is looked up again: one who
 * unsubscribed, bounced or was suppressed meanwhile gets nothing.
 */
export function queueWelcome(deps: ServeDeps, subscriberId: number): void {
  deps.mailer.enqueue(`nyhetsbrev/welcome/${subscriberId}`, async () => {
    const { store, config } = deps;
    const row = store.findSubscriberById(subscriberId);
    const tokenKey = store.tokenKey(subscriberId);
    if (!row || !tokenKey || row.status !== 'active' || store.suppression(row.emailKey) !== undefined)
      throw new WelcomeSkipped('the address was stopped before its welcome email went out');
    const lists = store.memberships(subscriberId).map((m) => m.listId);
    const names = deps.lists.lists.filter((list) => lists.includes(list.id)).map((list) => list.name);
    const rendered = await renderWelcomeEmail(config, names);
    const subscriber = { id: subscriberId, tokenKey };
    // Where the confirmation link pointed too (`--local-links` makes it this server).
    const at = { ...config, endpoint: deps.endpoint };
    const recipient = {
      unsubscribeUrl: unsubscribeUrl(at, unsubscribeToken(deps.secret, subscriber)),
      preferencesUrl: preferencesUrl(at, preferencesToken(deps.secret, subscriber)),
    };
    const { html, text } = personalise(rendered, recipient);
    const email: OutgoingEmail = {
      to: row.email,
      from: config.sender.from,
      ...(config.sender.replyTo === undefined ? {} : { replyTo: config.sender.replyTo }),
      subject: rendered.subject,
      html,
      text,
      headers: listHeaders(config, recipient.unsubscribeUrl),
      tags: [{ name: 'kind', value: 'welcome' }],
    };
    return email;
  });
}
