import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Hono, type Context } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import { renderStylesheet } from '../render/stylesheet.ts';
import { TEMPLATES_DIR } from '../render/templates.ts';
import { confirmPage, confirmPost } from './confirm.ts';
import { healthz } from './health.ts';
import { clientAddress, html } from './http.ts';
import { messagePage, pageStrings, type ServeStrings } from './pages.ts';
import { bodyLimits, requestLog, securityHeaders } from './security.ts';
import { preferencesPage, preferencesPost } from './preferences.ts';
import { subscribeForm, subscribePost } from './subscribe.ts';
import type { ServeDeps } from './types.ts';
import { unsubscribePage, unsubscribePost } from './unsubscribe.ts';
import { resendWebhook } from './webhooks.ts';
import { isBusy, StoreBusy } from './writes.ts';
import { sourceStack } from '../errors/stack.ts';

/** `Retry-After` of a 503 while the database is busy: an import of 100,000 rows takes 3–8 s. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The subscription endpoint as a Hono app. Routes (relative to the endpoint's path, e.g.
 * `/prenumeration/`, and also at `/` for a proxy that strips that path):
 *
 * | route | what it does |
 * | --- | --- |
 * | `GET /`, `GET /prenumerera` | the subscribe form |
 * | `POST /prenumerera` | subscribe (rate-limited per client address) |
 * | `GET/POST /bekrafta?t=` | confirmation page with a button / confirm |
 * | `GET/POST /avregistrera?t=` | unsubscribe page with a button / unsubscribe (RFC 8058) |
 * | `GET/POST /installningar?t=` | the subscriber's lists to choose from / save the choice |
 * | `POST /webhooks/resend` | Resend delivery, bounce and complaint events |
 * | `GET /assets/style.css`, `/assets/serve.css` | the archive's stylesheet and serve's additions |
 * | `GET /assets/theme/<file>` | the theme's logo files, read from the theme folder |
 * | `GET /healthz` | database reachable and schema current (200) or not (503); no personal data |
 */
export function createApp(deps: ServeDeps): Hono {
  const { s } = pageStrings(deps.config);
  const routes = subscriptionRoutes(deps, s);
  const app = new Hono();
  app.use(requestLog(deps), securityHeaders(), bodyLimits(deps));
  const base = new URL(deps.endpoint).pathname.replace(/\/+$/, '');
  if (base !== '') {
    // `/prenumeration/` as well as `/prenumeration`: the endpoint URL itself ends in a slash.
    app.get(`${base}/`, (c) => subscribeForm(c, deps));
    app.route(base, routes);
  }
  app.route('/', routes);
  app.notFound((c) => html(c, messagePage(deps.config, s.notFoundTitle, [s.notFoundText]), 404));
  app.onError((error, c) => failure(deps, s, error, c));
  return app;
}

/** The routes of the table above, relative to the endpoint's path. */
function subscriptionRoutes(deps: ServeDeps, s: ServeStrings): Hono {
  const routes = new Hono();
  const limited = rateLimiter({
    windowMs: deps.rateLimit.windowMs,
    limit: deps.rateLimit.limit,
    standardHeaders: 'draft-7',
    keyGenerator: (c) => clientAddress(c, deps.trustProxy),
    handler: (c: Context) => html(c, messagePage(deps.config, s.rateLimitedTitle, [s.rateLimitedText]), 429),
  });
  routes.get('/', (c) => subscribeForm(c, deps));
  routes.get('/prenumerera', (c) => subscribeForm(c, deps));
  routes.post('/prenumerera', limited, (c) => subscribePost(c, deps));
  routes.get('/bekrafta', (c) => confirmPage(c, deps));
  routes.post('/bekrafta', (c) => confirmPost(c, deps));
  routes.get('/avregistrera', (c) => unsubscribePage(c, deps));
  routes.post('/avregistrera', (c) => unsubscribePost(c, deps));
  routes.get('/installningar', (c) => preferencesPage(c, deps));
  routes.post('/installningar', (c) => preferencesPost(c, deps));
  routes.post('/webhooks/resend', (c) => resendWebhook(c, deps));
  routes.get('/healthz', (c) => healthz(c, deps));
  routes.get('/assets/style.css', (c) => stylesheet(c, () => renderStylesheet(deps.config.theme)));
  routes.get('/assets/serve.css', (c) =>
    stylesheet(c, () => readFile(join(TEMPLATES_DIR, 'serve', 'assets', 'serve.css'), 'utf8')),
  );
  routes.get('/assets/theme/*', (c) => themeImage(c, deps));
  return routes;
}

/** The answer to an error a handler threw: 503 while the database is busy, else 500. */
function failure(deps: ServeDeps, s: ServeStrings, error: Error, c: Context): Response {
  if (error instanceof StoreBusy || isBusy(error)) {
    // Another process (an import, a send) holds the database; nothing was written. Say when to retry.
    deps.log('database busy: answered 503');
    c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    if (c.req.path.endsWith('/webhooks/resend')) return c.json({ error: 'busy, retry later' }, 503);
    return html(c, messagePage(deps.config, s.busyTitle, [s.busyText]), 503);
  }
  // The stack's frames without the message: a message may quote input (an address, a name).
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  deps.log(`error: ${error.name}\n${sourceStack(frames.join('\n'))}`);
  return html(c, messagePage(deps.config, s.serverErrorTitle, [s.serverErrorText]), 500);
}

/**
 * Serves a stylesheet, made on each request: the archive's style.css (with the theme's colours) is
 * the one source of the look, so a change to it shows here without a restart.
 */
async function stylesheet(c: Context, read: () => string | Promise<string>): Promise<Response> {
  const css = await read();
  c.header('Content-Type', 'text/css; charset=utf-8');
  c.header('Cache-Control', 'public, max-age=3600');
  return c.body(css);
}

/** The content type of a logo file (the theme schema allows .svg and .png only). */
const IMAGE_TYPES: Record<string, string> = { '.svg': 'image/svg+xml', '.png': 'image/png' };

/**
 * Serves a logo file of the theme, read from the theme folder (the build copies them to the
 * archive's assets/theme/, which `serve` may not sit next to). Only the files theme.yml names.
 */
async function themeImage(c: Context, deps: ServeDeps): Promise<Response> {
  const at = c.req.path.indexOf('assets/theme/');
  const path = decodeURIComponent(c.req.path.slice(at));
  const { logo } = deps.config.theme;
  const image = logo && [logo.light, logo.dark].find((each) => each.path === path);
  if (!image) return c.notFound();
  const body = await readFile(image.source);
  c.header('Content-Type', IMAGE_TYPES[extname(image.source).toLowerCase()] ?? 'application/octet-stream');
  c.header('Cache-Control', 'public, max-age=3600');
  return c.body(body);
}
