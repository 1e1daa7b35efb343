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

/**
 * `GET /bekrafta?t=…`: the link in the confirmation email opens a page with a button. Like
 * unsubscribing, confirming takes a POST: mail scanners open links, and a scanner must neither
 * use up the single-use token nor give consent on someone's behalf.
 */
export function confirmPage(c: Context, deps: ServeDeps): Response {
  const token = c.req.query('t') ?? '';
  const checked = checkConfirmation(deps, token);
  if (checked.state !== 'ok') return refused(c, deps, checked.state);
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
 */
export function confirmPost(c: Context, deps: ServeDeps): Response {
  const token = c.req.query('t') ?? '';
  const { store } = deps;
  const state = store.transaction((): ConfirmationState['state'] => {
    const checked = checkConfirmation(deps, token);
    if (checked.state !== 'ok') return checked.state;
    if (!markUsed(deps, checked.tokenHash)) return 'used';
    activate(deps, checked.request);
    return 'ok';
  });
  deps.log(`confirm: ${state}`);
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

function activate(deps: ServeDeps, request: ConfirmationRequest): void {
  const { store } = deps;
  const row = store.db
    .prepare<[number], { email_key: string; status: string }>(
      'SELECT email_key, status FROM subscribers WHERE id = ?',
    )
    .get(request.subscriberId);
  // Bounced or complained since the email went out: the address stays stopped.
  if (!row || row.status === 'bounced' || row.status === 'complained') return;
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
    .run(store.hashEmail(row.email_key));
}

function refused(c: Context, deps: ServeDeps, state: 'invalid' | 'expired' | 'used'): Response {
  const { s } = pageStrings(deps.config);
  const again = [{ href: 'prenumerera', text: s.subscribeAgain }];
  const pages: Record<typeof state, [string, string, ContentfulStatusCode]> = {
    invalid: [s.badLinkTitle, s.badLinkText, 400],
    expired: [s.expiredTitle, s.expiredText, 410],
    used: [s.usedTitle, s.usedText, 409],
  };
  const [title, text, status] = pages[state];
  return html(c, messagePage(deps.config, title, [text], state === 'used' ? [] : again), status);
}

function listNames(deps: ServeDeps, ids: string[]): string[] {
  return ids.map((id) => deps.lists.lists.find((list) => list.id === id)?.name ?? id);
}
