import type { Context } from 'hono';
import { STOPPED_STATUSES, type SubscriberStatus } from '../audience/types.ts';
import { verifyUnsubscribeToken } from '../tokens.ts';
import { formValues, html } from './http.ts';
import { fill, messagePage, pageStrings, renderPage } from './pages.ts';
import type { ServeDeps } from './types.ts';
import { StoreBusy } from './writes.ts';

/**
 * `GET /avregistrera?t=…`: a page with a button, never a change. Mail scanners and link
 * previewers follow every link in an email; only the POST below unsubscribes.
 */
export function unsubscribePage(c: Context, deps: ServeDeps): Response {
  const token = c.req.query('t') ?? '';
  if (verifyUnsubscribeToken(deps.secret, token) === undefined) return badLink(c, deps);
  const { s } = pageStrings(deps.config);
  const page = renderPage(deps.config, 'action', s.unsubscribeTitle, {
    text: fill(s.unsubscribeText, { newsletter: deps.config.newsletter }),
    listNames: [],
    listsLabel: '',
    action: `avregistrera?t=${encodeURIComponent(token)}`,
    // The same body a mail client sends for RFC 8058 one-click, so both take one path.
    fields: [{ name: 'List-Unsubscribe', value: 'One-Click' }],
    button: s.unsubscribeButton,
  });
  return html(c, page);
}

/** How long a one-click unsubscribe waits for the write lock before it is journaled instead. */
const UNSUBSCRIBE_WAIT_MS = 300;

/**
 * `POST /avregistrera?t=…` with `List-Unsubscribe=One-Click` (RFC 8058): unsubscribes at once
 * and answers 200 — no redirect, no cookie, no login. Idempotent: a second POST (or fifty at once)
 * finds the subscriber already stopped and changes nothing. While another process holds the
 * database's write lock the request is written to the unsubscribe journal (synced to disk) and
 * applied once the lock is free: a mailbox provider may never retry a one-click POST.
 */
export async function unsubscribePost(c: Context, deps: ServeDeps): Promise<Response> {
  const token = c.req.query('t') ?? '';
  if (verifyUnsubscribeToken(deps.secret, token) === undefined) return badLink(c, deps);
  const form = await formValues(c);
  const { s } = pageStrings(deps.config);
  if (!form['List-Unsubscribe']?.includes('One-Click')) {
    return html(c, messagePage(deps.config, s.badLinkTitle, [s.badLinkText]), 400);
  }
  try {
    const changed = await deps.writes.run(() => unsubscribeByToken(deps, token), UNSUBSCRIBE_WAIT_MS);
    deps.log(`unsubscribe: ${changed ? 'done' : 'already stopped'}`);
  } catch (error) {
    if (!(error instanceof StoreBusy)) throw error;
    // Not journaled either (a full disk?): 503 then, never a page saying it was done.
    await deps.unsubscribes.record(token).catch((cause: unknown) => {
      deps.log(`unsubscribe: journal not written (${(cause as NodeJS.ErrnoException).code ?? 'error'})`);
      throw error;
    });
    deps.log('unsubscribe: database busy, journaled to apply when it is free');
  }
  const page = messagePage(
    deps.config,
    s.unsubscribedTitle,
    [s.unsubscribedText, s.unsubscribedAgain],
    [{ href: 'prenumerera', text: s.subscribeAgain }],
  );
  return html(c, page);
}

/**
 * Marks the subscriber `unsubscribed` (a bounced or complained one keeps that status: it says
 * more) and suppresses the address, so no import or `subscribers add` brings them back. Returns
 * whether anything changed. A subscriber who no longer exists (erased with `forget`) is already
 * suppressed: nothing to do.
 */
export function unsubscribe(deps: ServeDeps, subscriberId: number): boolean {
  const { store } = deps;
  return store.transaction(() => {
    const row = store.db
      .prepare<[number], { email_key: string; status: SubscriberStatus }>(
        'SELECT email_key, status FROM subscribers WHERE id = ?',
      )
      .get(subscriberId);
    if (!row) return false;
    const suppressed = store.suppression(row.email_key) !== undefined;
    const stopped = STOPPED_STATUSES.includes(row.status);
    if (!stopped) store.updateSubscriber(subscriberId, { status: 'unsubscribed' });
    if (!suppressed) store.suppress(row.email_key, 'unsubscribed');
    return !stopped || !suppressed;
  });
}

/**
 * Unsubscribes the subscriber a token names, verifying the token again (it may come from the
 * journal, written before a restart). Returns whether anything changed; false for a bad token.
 */
export function unsubscribeByToken(deps: ServeDeps, token: string): boolean {
  const id = verifyUnsubscribeToken(deps.secret, token);
  return id !== undefined && unsubscribe(deps, id);
}

function badLink(c: Context, deps: ServeDeps): Response {
  const { s } = pageStrings(deps.config);
  return html(c, messagePage(deps.config, s.badLinkTitle, [s.badLinkText]), 400);
}
