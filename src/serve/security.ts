import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { html } from './http.ts';
import { messagePage, pageStrings } from './pages.ts';
import type { ServeDeps } from './types.ts';

/** Largest form body accepted (an address, a name and a few list ids fit many times over). */
export const FORM_LIMIT_BYTES = 16 * 1024;
/** Largest webhook body accepted (Resend events are a few KB; a bounce message can be longer). */
export const WEBHOOK_LIMIT_BYTES = 256 * 1024;

/**
 * Security headers on every response. The Content-Security-Policy allows nothing but our own
 * stylesheets and form posts to ourselves: no scripts, no third-party anything, no framing.
 * `Referrer-Policy: no-referrer` keeps the tokens in our URLs from leaking to the archive.
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
    strictTransportSecurity: 'max-age=31536000',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
  });
}

/** Request body limits: {@link WEBHOOK_LIMIT_BYTES} for webhooks, {@link FORM_LIMIT_BYTES} elsewhere; 413 past them. */
export function bodyLimits(deps: ServeDeps): MiddlewareHandler {
  const { s } = pageStrings(deps.config);
  const onError: Parameters<typeof bodyLimit>[0]['onError'] = (c) => {
    // Answered before the body was read: the rest of it is still on the wire, so the connection
    // cannot carry another request (a client reusing it gets "other side closed").
    c.header('Connection', 'close');
    return html(c, messagePage(deps.config, s.tooLargeTitle, [s.tooLargeText]), 413);
  };
  const forms = bodyLimit({ maxSize: FORM_LIMIT_BYTES, onError });
  const webhooks = bodyLimit({ maxSize: WEBHOOK_LIMIT_BYTES, onError });
  return (c, next) => (c.req.path.endsWith('/webhooks/resend') ? webhooks(c, next) : forms(c, next));
}

const ROUTES = [
  'prenumerera',
  'bekrafta',
  'avregistrera',
  'installningar',
  'webhooks/resend',
  'assets/style.css',
  'assets/serve.css',
  'healthz',
];

/**
 * One log line per request: method, route name, status and time. Never the query string (it holds
 * tokens), never a raw unknown path (it could hold anything), never the client's address (personal
 * data): `POST avregistrera 200 4ms`.
 */
export function requestLog(deps: ServeDeps): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const path = c.req.path.replace(/\/+$/, '');
    const base = new URL(deps.endpoint).pathname.replace(/\/+$/, '');
    const route = path.includes('/assets/theme/')
      ? 'assets/theme'
      : (ROUTES.find((name) => path.endsWith(`/${name}`)) ??
        (path === '' || path === base ? '/' : '(other)'));
    deps.log(`${c.req.method} ${route} ${c.res.status} ${Math.round(performance.now() - started)}ms`);
  };
}
