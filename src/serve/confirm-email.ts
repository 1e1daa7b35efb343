import type { Config } from '../config/schema.ts';
import type { OutgoingEmail } from '../send/types.ts';
import { emailTheme } from '../render/email.ts';
import { fill, pageStrings } from './pages.ts';
import { renderServiceEmail } from './service-email.ts';

/** The rendered confirmation email. */
export interface ConfirmEmail {
  subject: string;
  html: string;
  text: string;
  /** The MJML the HTML was compiled from (tests validate it at level strict). */
  mjml: string;
  /** MJML validation problems (none for the shipped template). */
  errors: string[];
}

/** What the confirmation email says: where to click, until when, and for which lists. */
export interface ConfirmEmailInput {
  confirmUrl: string;
  expiresAt: Date;
  /** Reader-facing names of the chosen lists. */
  listNames: string[];
}

/**
 * Renders the double opt-in email through the newsletter's own path: Handlebars (strict) →
 * MJML 5 → HTML, with the email styles partial, plus a plain-text part. It deliberately does not
 * greet the person by name: anyone can type any address and name into the form, and the name
 * must not become a way to put words of a stranger's choosing into someone's inbox.
 */
export async function renderConfirmEmail(config: Config, input: ConfirmEmailInput): Promise<ConfirmEmail> {
  const { strings, s } = pageStrings(config);
  const names = { newsletter: config.newsletter, organisation: config.organisation };
  const date = expiryDate(strings.intlLocale, input.expiresAt);
  const data = {
    lang: config.locale,
    subject: fill(s.emailSubject, names),
    preheader: s.emailPreheader,
    heading: s.emailHeading,
    intro: fill(s.emailIntro, names),
    listsLabel: s.emailLists,
    listNames: input.listNames,
    button: s.emailButton,
    confirmUrl: input.confirmUrl,
    expiry: fill(s.emailExpiry, { date }),
    linkText: s.emailLinkText,
    ignore: s.emailIgnore,
    organisation: config.organisation,
    newsletter: config.newsletter,
    archiveUrl: config.baseUrl,
    ...emailTheme(config),
  };
  return { subject: data.subject, ...(await renderServiceEmail('confirm', data)) };
}

function expiryDate(intlLocale: string, expiresAt: Date): string {
  return new Intl.DateTimeFormat(intlLocale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Stockholm',
  }).format(expiresAt);
}

// Letters and digits only: Handlebars, MJML and URL encoding leave it as it is, and so the token.
const TOKEN_SLOT = 'NYHETSBREVCONFIRMTOKENSLOT';
const rendered = new WeakMap<Config, Map<string, Promise<ConfirmEmail>>>();

/**
 * {@link renderConfirmEmail} for one token, byte for byte, but rendered once per link prefix,
 * expiry date and lists and then personalised by putting the token into the slot (DESIGN: compile
 * once, personalise cheaply). MJML takes tens of milliseconds of the event loop that every other
 * request would wait for, and the first render after start several seconds: `serve` renders once
 * before it listens. `token` must occur in `input.confirmUrl`.
 */
export async function confirmEmailFor(
  config: Config,
  input: ConfirmEmailInput,
  token: string,
): Promise<ConfirmEmail> {
  const confirmUrl = input.confirmUrl.replace(token, TOKEN_SLOT);
  const cache = rendered.get(config) ?? new Map<string, Promise<ConfirmEmail>>();
  rendered.set(config, cache);
  const day = expiryDate(pageStrings(config).strings.intlLocale, input.expiresAt);
  const key = [confirmUrl, day, ...input.listNames].join('\n');
  let email = cache.get(key);
  if (!email) {
    // A new day or a new choice of lists renders anew; old entries are dead weight after a while.
    if (cache.size >= 64) cache.clear();
    email = renderConfirmEmail(config, { ...input, confirmUrl });
    cache.set(key, email);
    email.catch(() => cache.delete(key));
  }
  const slotted = await email;
  const personal = (text: string): string => text.split(TOKEN_SLOT).join(token);
  return {
    ...slotted,
    html: personal(slotted.html),
    text: personal(slotted.text),
    mjml: personal(slotted.mjml),
  };
}

/** The confirmation as an email to one recipient, from the newsletter's sender. */
export function confirmationMessage(config: Config, to: string, email: ConfirmEmail): OutgoingEmail {
  return {
    to,
    from: config.sender.from,
    ...(config.sender.replyTo === undefined ? {} : { replyTo: config.sender.replyTo }),
    subject: email.subject,
    html: email.html,
    text: email.text,
    // Transactional, not a list email: no List-Unsubscribe. Auto-Submitted keeps auto-responders quiet.
    headers: { 'Auto-Submitted': 'auto-generated' },
    tags: [{ name: 'kind', value: 'confirm' }],
  };
}
