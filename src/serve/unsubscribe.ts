import type { Context } from 'hono';
import { linkHolder, unsubscribe } from '../audience/unsubscribe.ts';
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
  const claim = verifyUnsubscribeToken(deps.secret, token);
  if (claim === undefined) return badLink(c, deps);
  if (linkHolder(deps.store, claim) === 'stale') return oldLink(c, deps);
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
  const claim = verifyUnsubscribeToken(deps.secret, token);
  if (claim === undefined) return badLink(c, deps);
  const form = await formValues(c);
  const { s } = pageStrings(deps.config);
  if (!form['List-Unsubscribe']?.includes('One-Click')) {
    return html(c, messagePage(deps.config, s.badLinkTitle, [s.badLinkText]), 400);
  }
  // A read, so it answers while another process holds the write lock: a journaled token must not
  // be one whose id now belongs to someone else.
  if (linkHolder(deps.store, claim) === 'stale') {
    deps.log("unsubscribe: refused an old link whose id may have been someone else's");
    return oldLink(c, deps);
  }
  try {
    const changed = await deps.writes.run(() => unsubscribeByToken(deps, token), UNSUBSCRIBE_WAIT_MS);
    if (changed === 'stale') return oldLink(c, deps);
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

function oldLink(c: Context, deps: ServeDeps): Response {
  const { s } = pageStrings(deps.config);
  return html(c, messagePage(deps.config, s.badLinkTitle, [s.oldLinkText]), 410);
}

/**
 * Unsubscribes the subscriber a token names, verifying the token again (it may come from the
 * journal, written before a restart). Returns whether anything changed; false for a bad token or
 * a forgotten person's, `stale` for a link whose id is held by someone it was not sent to.
 */
export function unsubscribeByToken(deps: ServeDeps, token: string): boolean | 'stale' {
  const claim = verifyUnsubscribeToken(deps.secret, token);
  return claim !== undefined && unsubscribe(deps.store, claim);
}

function badLink(c: Context, deps: ServeDeps): Response {
  const { s } = pageStrings(deps.config);
  return html(c, messagePage(deps.config, s.badLinkTitle, [s.badLinkText]), 400);
}
