import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { parseEmail, type EmailAddress } from '../audience/email.ts';
import type { Config } from '../config/schema.ts';
import { createConfirmation, recentConfirmations } from './confirmations.ts';
import { confirmationMessage, confirmEmailFor } from './confirm-email.ts';
import { afterResponse, formValues, html } from './http.ts';
import { messagePage, pageStrings, renderPage } from './pages.ts';
import type { ServeDeps } from './types.ts';

/** At most this many confirmation emails per address and 24 hours, whoever fills in the form. */
export const MAX_CONFIRMATIONS_PER_DAY = 3;

/** What was typed into the form, to show it again next to an error. */
interface FormInput {
  email: string;
  name: string;
  lists: string[];
}

/** `GET /prenumerera` (and the endpoint's root): the subscribe form. */
export function subscribeForm(c: Context, deps: ServeDeps): Response {
  return html(c, formPage(deps, { email: '', name: '', lists: [deps.lists.default] }));
}

/**
 * `POST /prenumerera` (fields `email`, `name`, `lists`, honeypot `website`; the archive's form
 * posts here too). Every valid address gets the same page, whatever the database holds — new,
 * pending, active or suppressed — so the form cannot be used to find out who subscribes. Only a
 * malformed address is answered differently (400, the form again with the error).
 */
export async function subscribePost(c: Context, deps: ServeDeps): Promise<Response> {
  const form = await formValues(c);
  const { s } = pageStrings(deps.config);
  const sent = (): Response => html(c, messagePage(deps.config, s.sentTitle, [s.sentText, s.sentHint]));
  // Bots fill in every field; people never see this one. They get the usual page and no email.
  if ((form.website ?? []).some((value) => value.trim() !== '')) {
    deps.log('subscribe: honeypot filled, ignored');
    return sent();
  }
  const input: FormInput = {
    email: (form.email?.[0] ?? '').slice(0, 320),
    name: cleanName(form.name?.[0] ?? ''),
    lists: chosenLists(deps, form.lists ?? []),
  };
  const address = parseEmail(input.email);
  if (!address.ok) return html(c, formPage(deps, input, s.invalidEmail), 400);
  const outcome = await requestSubscription(deps, address, input);
  deps.log(`subscribe: ${outcome.log}`);
  // Queued once the page is on its way: rendering and handing over the email must not make the
  // answer for an address that gets one slower than for one that does not.
  const { email } = outcome;
  if (email) afterResponse(c, () => queueConfirmation(deps, email));
  return sent();
}

/** A confirmation email to send: the recipient, the token and what the email tells them. */
export interface QueuedConfirmation {
  to: string;
  token: string;
  expiresAt: Date;
  lists: string[];
}

/**
 * Records a subscription request (waiting for the write lock through the gate; `StoreBusy` when
 * it stays taken). A new address becomes a `pending` subscriber; an existing one keeps its status
 * until it confirms. Addresses that bounced, complained or were suppressed by the operator get no
 * email (it would be undeliverable or unwelcome), and no address gets more than
 * {@link MAX_CONFIRMATIONS_PER_DAY} emails a day. Returns what happened, for the log (no personal
 * data in it), and the email to queue, if any.
 */
export async function requestSubscription(
  deps: ServeDeps,
  address: EmailAddress,
  input: FormInput,
): Promise<{ log: string; email?: QueuedConfirmation }> {
  const { store } = deps;
  const queued = await deps.writes.run(() => {
    // Every valid request commits a write, whatever the address's state: a commit syncs the WAL to
    // disk, and a request that wrote nothing would answer measurably sooner.
    store.db
      .prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('serve.last_subscribe_request', ?)")
      .run(store.now());
    const existing = store.findSubscriber(address.key);
    const reason = store.suppression(address.key)?.reason;
    if (existing?.status === 'bounced' || existing?.status === 'complained') return undefined;
    if (reason === 'bounced' || reason === 'complained' || reason === 'manual') return undefined;
    const subscriber =
      existing ??
      store.insertSubscriber({
        email: address.email,
        emailKey: address.key,
        name: input.name || null,
        status: 'pending',
        consentSource: 'web',
      });
    if (recentConfirmations(deps, subscriber.id) >= MAX_CONFIRMATIONS_PER_DAY) return null;
    const request = {
      subscriberId: subscriber.id,
      lists: input.lists,
      name: input.name || null,
      consentTextVersion: consentTextVersion(deps.config),
    };
    return { to: subscriber.email, lists: input.lists, ...createConfirmation(deps, request) };
  });
  if (queued === undefined) return { log: 'stopped address, no email' };
  if (queued === null) return { log: 'daily email limit reached, no email' };
  return { log: 'confirmation email queued', email: queued };
}

/** Hands a confirmation email to the mailer, which renders and sends it in the background. */
export function queueConfirmation(deps: ServeDeps, queued: QueuedConfirmation): void {
  const confirmUrl = new URL(`bekrafta?t=${encodeURIComponent(queued.token)}`, deps.endpoint).href;
  const listNames = queued.lists.map((id) => deps.lists.lists.find((list) => list.id === id)?.name ?? id);
  const key = `nyhetsbrev/confirm/${createHash('sha256').update(queued.token).digest('hex').slice(0, 16)}`;
  deps.mailer.enqueue(key, async () => {
    const input = { confirmUrl, expiresAt: queued.expiresAt, listNames };
    const email = await confirmEmailFor(deps.config, input, queued.token);
    return confirmationMessage(deps.config, queued.to, email);
  });
}

/**
 * The version of the consent text the person agreed to: the form's privacy note (the same key on
 * the archive's form and ours), named by locale and a hash of its wording, so a reworded note is a
 * new version without anyone having to remember to bump a number.
 */
export function consentTextVersion(config: Config): string {
  const { strings } = pageStrings(config);
  const digest = createHash('sha256').update(strings.privacyNote).digest('hex').slice(0, 12);
  return `privacyNote/${config.locale}/${digest}`;
}

/** Public lists among the submitted ids (a forum's private list is never joined from the web). */
function chosenLists(deps: ServeDeps, ids: string[]): string[] {
  const allowed = deps.lists.lists
    .filter((list) => list.public && ids.includes(list.id))
    .map((list) => list.id);
  return allowed.length > 0 ? allowed : [deps.lists.default];
}

/** A name as stored: trimmed, control characters removed, at most 100 characters. */
function cleanName(name: string): string {
  return name
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
}

function formPage(deps: ServeDeps, input: FormInput, error = ''): string {
  const { strings } = pageStrings(deps.config);
  const lists = deps.lists.lists
    .filter((list) => list.public)
    .map((list) => ({
      id: list.id,
      name: list.name,
      description: list.description,
      checked: input.lists.includes(list.id),
    }));
  return renderPage(deps.config, 'subscribe', strings.subscribeTitle, {
    subscribePage: true,
    error,
    email: input.email,
    name: input.name,
    lists,
  });
}
