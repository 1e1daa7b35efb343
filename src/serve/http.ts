import type { ServerResponse } from 'node:http';
import { finished } from 'node:stream';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** An HTML page response. Pages carry tokens and personal choices: never cached. */
export function html(c: Context, body: string, status: ContentfulStatusCode = 200): Response {
  c.header('Cache-Control', 'no-store');
  return c.html(body, status);
}

/**
 * Runs `task` once the response has been handed to the client's connection (or the client went
 * away first), so work done on behalf of a request never shows in its response time. Outside
 * Node's HTTP server (`app.request()`) it runs on the next turn of the event loop.
 */
export function afterResponse(c: Context, task: () => void): void {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing) finished(outgoing, () => task());
  else setImmediate(task);
}

/**
 * The fields of a form body (urlencoded or multipart), every value as a list of strings (files
 * are dropped). Anything else, or a malformed body, gives no fields.
 */
export async function formValues(c: Context): Promise<Record<string, string[]>> {
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch {
    return {};
  }
  const fields: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(body)) {
    const values = Array.isArray(value) ? value : [value];
    fields[name] = values.filter((item): item is string => typeof item === 'string');
  }
  return fields;
}

/**
 * The client's address for rate limiting: the socket's peer, or — behind a reverse proxy
 * (`--trust-proxy`) — the last `X-Forwarded-For` entry, the one the proxy itself appended (the
 * ones before it are whatever the client claimed). IPv6 clients are grouped by their /64, which
 * one household or host usually has whole.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  let address: string | undefined;
  if (trustProxy) address = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
  address ||= getConnInfo(c).remote.address ?? 'unknown';
  address = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (!address.includes(':')) return address;
  const groups = expandIpv6(address);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : address;
}

function expandIpv6(address: string): string[] | undefined {
  const [head = '', tail, extra] = address.split('%')[0]!.split('::');
  if (extra !== undefined) return undefined;
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return undefined;
  return [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right].map((group) =>
    group.toLowerCase().padStart(4, '0'),
  );
}
