import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  checkConfirmation,
  markUsed,
  type ConfirmationRequest,
  type ConfirmationState,
} from './confirmations.ts';
import { html } from './http.ts';
import { fill, messagePage, pageStrings, renderPage } from './pages.ts';
import type { ServeDeps } from './types.ts';
import { claimWelcome, queueWelcome } from './welcome.ts';

/**
 * `GET /bekrafta?t=…`: the link in the confirmation email opens a page with a button. Like
 * unsubscribing, confirming takes a POST: mail scanners open links, and a scanner must neither
 * use up the single-use token nor give consent on someone's behalf.
 */
export function confirmPage(c: Context, deps: ServeDeps): Response {
  const token = c.req.query('t') ?? '';
  const checked = checkConfirmation(deps, token);
  if (checked.state !== 'ok') return refused(c, deps, checked.state);
  if (confirmableKey(deps, checked.request.subscriberId) === undefined) return refused(c, deps, 'stopped');
  const { s } = pageStrings(deps.config);
  const page = renderPage(deps.config, 'action', s.confirmTitle, {
    text: fill(s.confirmText, { newsletter: deps.config.newsletter }),
    listsLabel: s.confirmLists,
    listNames: listNames(deps, checked.request.lists),
    action: `bekrafta?t=${encodeURIComponent(token)}`,
    fields: [],
    button: s.confirmButton,
  });
  return html(c, page);
}

/**
 * `POST /bekrafta?t=…`: uses the token (once) and activates the subscription: status `active`,
 * consent time (now), source `web` and the consent text version recorded, memberships of the
 * chosen lists added, and an earlier unsubscribe or erasure lifted — the person asked to come back.
 * An address that bounced, complained or was blocked since the email went out stays stopped, and
 * the page says so. While the database is busy it throws `StoreBusy` (503) and the token stays unused.
 */
export async function confirmPost(c: Context, deps: ServeDeps): Promise<Response> {
  const token = c.req.query('t') ?? '';
  // A bad, expired or used link is answered without waiting for the write lock.
  const first = checkConfirmation(deps, token);
  if (first.state !== 'ok') return refused(c, deps, first.state);
  let welcome: number | undefined;
  const state = await deps.writes.run((): Refusal | 'ok' => {
    const checked = checkConfirmation(deps, token);
    if (checked.state !== 'ok') return checked.state;
    if (!markUsed(deps, checked.tokenHash)) return 'used';
    if (!activate(deps, checked.request)) return 'stopped';
    const id = checked.request.subscriberId;
    welcome = claimWelcome(deps, id) ? id : undefined;
    return 'ok';
  });
  deps.log(`confirm: ${state}`);
  if (welcome !== undefined) queueWelcome(deps, welcome);
  if (state !== 'ok') return refused(c, deps, state);
  const { s } = pageStrings(deps.config);
  return html(
    c,
    messagePage(
      deps.config,
      s.confirmedTitle,
      [s.confirmedText],
      [{ href: deps.config.baseUrl, text: s.toArchive }],
    ),
  );
}

/** Why a confirmation is refused; `stopped`: the address bounced, complained or was blocked. */
type Refusal = Exclude<ConfirmationState['state'], 'ok'> | 'stopped';

/**
 * The subscriber's address key, or undefined when the subscriber is gone or the address must not
 * be written to: bounced or complained (status or suppression) or blocked by the operator — the
 * addresses the form sends nothing either.
 */
function confirmableKey(deps: ServeDeps, subscriberId: number): string | undefined {
  const { store } = deps;
  const row = store.db
    .prepare<[number], { email_key: string; status: string }>(
      'SELECT email_key, status FROM subscribers WHERE id = ?',
    )
    .get(subscriberId);
  if (!row || row.status === 'bounced' || row.status === 'complained') return undefined;
  const reason = store.suppression(row.email_key)?.reason;
  return reason === 'bounced' || reason === 'complained' || reason === 'manual' ? undefined : row.email_key;
}

/** Activates the request's subscriber; false (nothing changed) when the address is stopped. */
function activate(deps: ServeDeps, request: ConfirmationRequest): boolean {
  const { store } = deps;
  const key = confirmableKey(deps, request.subscriberId);
  if (key === undefined) return false;
  store.updateSubscriber(request.subscriberId, {
    status: 'active',
    consentSource: 'web',
    consentTextVersion: request.consentTextVersion,
    ...(request.name ? { name: request.name } : {}),
  });
  const publicLists = new Set(deps.lists.lists.filter((list) => list.public).map((list) => list.id));
  const lists = request.lists.filter((id) => publicLists.has(id));
  for (const id of lists.length > 0 ? lists : [deps.lists.default])
    store.addMembership(request.subscriberId, id, 'web');
  store.db
    .prepare("DELETE FROM suppressions WHERE email_hash = ? AND reason IN ('unsubscribed', 'forgotten')")
    .run(store.hashEmail(key));
  return true;
}

function refused(c: Context, deps: ServeDeps, state: Refusal): Response {
  const { s } = pageStrings(deps.config);
  const again = [{ href: 'prenumerera', text: s.subscribeAgain }];
  const pages: Record<Refusal, [string, string, ContentfulStatusCode]> = {
    invalid: [s.badLinkTitle, s.badLinkText, 400],
    expired: [s.expiredTitle, s.expiredText, 410],
    used: [s.usedTitle, s.usedText, 409],
    stopped: [s.stoppedTitle, fill(s.stoppedText, { organisation: deps.config.organisation }), 409],
  };
  const [title, text, status] = pages[state];
  const links = state === 'used' || state === 'stopped' ? [] : again;
  return html(c, messagePage(deps.config, title, [text], links), status);
}

function listNames(deps: ServeDeps, ids: string[]): string[] {
  return ids.map((id) => deps.lists.lists.find((list) => list.id === id)?.name ?? id);
}
