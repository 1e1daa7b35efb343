import type { Context } from 'hono';
import { STOPPED_STATUSES, type SubscriberStatus } from '../audience/types.ts';
import { unsubscribeToken, verifyPreferencesToken } from '../tokens.ts';
import { formValues, html } from './http.ts';
import { fill, messagePage, pageStrings, renderPage } from './pages.ts';
import type { ServeDeps } from './types.ts';

/** The subscriber a preferences link is for, while it is theirs (see {@link holderOf}). */
interface Holder {
  id: number;
  tokenKey: string;
  emailKey: string;
  status: SubscriberStatus;
}

/**
 * `GET /installningar?t=…`: the lists the subscriber may choose from — every public list, and the
 * forums they are a member of — with their own ticked, a button to save, and a second form that
 * unsubscribes from everything (the one-click unsubscribe's own path). Never a change.
 */
export function preferencesPage(c: Context, deps: ServeDeps): Response {
  const token = c.req.query('t') ?? '';
  const holder = holderOf(deps, token);
  if (typeof holder === 'string') return refused(c, deps, holder);
  const { s } = pageStrings(deps.config);
  const members = new Set(deps.store.memberships(holder.id).map((m) => m.listId));
  const lists = choosable(deps, members).map((list) => ({ ...list, checked: members.has(list.id) }));
  const page = renderPage(deps.config, 'preferences', s.preferencesTitle, {
    text: fill(s.preferencesText, { newsletter: deps.config.newsletter }),
    lists,
    action: `installningar?t=${encodeURIComponent(token)}`,
    unsubscribeAction: `avregistrera?t=${encodeURIComponent(unsubscribeToken(deps.secret, holder))}`,
  });
  return html(c, page);
}

/**
 * `POST /installningar?t=…` with the chosen `lists`: joins and leaves lists in one transaction
 * through the write gate (`StoreBusy`, 503, while another process holds the lock). Choosing no
 * list at all unsubscribes, as the one-click link does: status `unsubscribed`, address suppressed.
 * Ids that are neither public nor already the person's are ignored.
 */
export async function preferencesPost(c: Context, deps: ServeDeps): Promise<Response> {
  const token = c.req.query('t') ?? '';
  const first = holderOf(deps, token);
  if (typeof first === 'string') return refused(c, deps, first);
  const wanted = new Set((await formValues(c)).lists ?? []);
  const outcome = await deps.writes.run(() => {
    const holder = holderOf(deps, token);
    if (typeof holder === 'string') return holder;
    const { store } = deps;
    const members = new Set(store.memberships(holder.id).map((m) => m.listId));
    const chosen = choosable(deps, members).filter((list) => wanted.has(list.id));
    if (chosen.length === 0) {
      store.updateSubscriber(holder.id, { status: 'unsubscribed' });
      store.suppress(holder.emailKey, 'unsubscribed');
      return [];
    }
    for (const list of choosable(deps, members)) {
      if (wanted.has(list.id)) store.addMembership(holder.id, list.id, 'preferences');
      else store.removeMembership(holder.id, list.id);
    }
    return chosen.map((list) => list.name);
  });
  if (typeof outcome === 'string') return refused(c, deps, outcome);
  deps.log(`preferences: ${outcome.length === 0 ? 'unsubscribed' : 'saved'}`);
  const { s } = pageStrings(deps.config);
  if (outcome.length === 0) {
    const again = [{ href: 'prenumerera', text: s.subscribeAgain }];
    return html(
      c,
      messagePage(deps.config, s.unsubscribedTitle, [s.unsubscribedText, s.unsubscribedAgain], again),
    );
  }
  const back = [{ href: `installningar?t=${encodeURIComponent(token)}`, text: s.preferencesBack }];
  const text = fill(s.preferencesSavedText, { lists: outcome.join(', ') });
  return html(c, messagePage(deps.config, s.preferencesSavedTitle, [text], back));
}

/** Public lists, and the forums the person is a member of (theirs to leave, not others' to join). */
function choosable(deps: ServeDeps, members: ReadonlySet<string>) {
  return deps.lists.lists
    .filter((list) => list.public || members.has(list.id))
    .map(({ id, name, description }) => ({ id, name, description }));
}

type Refusal = 'invalid' | 'gone' | 'stopped';

/**
 * The subscriber of a validly signed link whose token key is still theirs. `gone`: no row holds
 * the id, or the row's key differs (forgotten and never reused, see tokens.ts); `stopped`: they
 * unsubscribed, bounced or complained — coming back takes the subscribe form's double opt-in.
 */
function holderOf(deps: ServeDeps, token: string): Holder | Refusal {
  const claim = verifyPreferencesToken(deps.secret, token);
  if (!claim) return 'invalid';
  const row = deps.store.db
    .prepare<[number], { token_key: string; email_key: string; status: SubscriberStatus }>(
      'SELECT token_key, email_key, status FROM subscribers WHERE id = ?',
    )
    .get(claim.subscriberId);
  if (!row || row.token_key !== claim.tokenKey) return 'gone';
  if (STOPPED_STATUSES.includes(row.status)) return 'stopped';
  return { id: claim.subscriberId, tokenKey: row.token_key, emailKey: row.email_key, status: row.status };
}

function refused(c: Context, deps: ServeDeps, why: Refusal): Response {
  const { s } = pageStrings(deps.config);
  if (why === 'invalid') return html(c, messagePage(deps.config, s.badLinkTitle, [s.badLinkText]), 400);
  if (why === 'gone') return html(c, messagePage(deps.config, s.badLinkTitle, [s.oldLinkText]), 410);
  const again = [{ href: 'prenumerera', text: s.subscribeAgain }];
  return html(c, messagePage(deps.config, s.unsubscribedTitle, [s.preferencesStoppedText], again), 409);
}
