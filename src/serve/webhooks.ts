import type { Context } from 'hono';
import { Resend } from 'resend';
import * as z from 'zod';
import { parseEmail } from '../audience/email.ts';
import { stopAddress } from '../audience/stop.ts';
import type { ServeDeps } from './types.ts';

/**
 * Resend webhook events, as far as serve reads them (see Resend's webhook docs: every event has
 * `type`, `created_at` and `data`; email events carry `email_id` and `to`; `email.bounced` has
 * `data.bounce.type` — `Permanent`, `Transient` or `Undetermined`).
 */
const eventSchema = z.object({
  type: z.string().min(1),
  created_at: z.string().min(1),
  data: z.object({
    email_id: z.string().min(1).optional(),
    to: z.array(z.string()).optional(),
    bounce: z.object({ type: z.string() }).optional(),
  }),
});

/** A verified, parsed webhook event. */
export type ResendEvent = z.output<typeof eventSchema>;

/** What a webhook call did: applied, a replay of an applied message, or an event we do not use. */
export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored';

// Events that say what became of a sent email, and the word kept in deliveries.provider_event.
// Opens and clicks are not recorded: the newsletter does not track readers (DESIGN).
const DELIVERY_EVENTS: Record<string, string> = {
  'email.sent': 'sent',
  'email.delivered': 'delivered',
  'email.delivery_delayed': 'delivery_delayed',
  'email.bounced': 'bounced',
  'email.complained': 'complained',
  'email.suppressed': 'suppressed',
  'email.failed': 'failed',
};

/**
 * `POST /webhooks/resend`: verify (svix headers, ±5 min), skip replays, apply. A body that is not
 * JSON, or not a Resend event, but is correctly signed is a 400; while the database is busy it
 * throws `StoreBusy` (503), and Resend retries.
 */
export async function resendWebhook(c: Context, deps: ServeDeps): Promise<Response> {
  if (!deps.webhookSecret) return c.json({ error: 'not found' }, 404);
  const payload = await c.req.text();
  const headers = {
    id: c.req.header('svix-id') ?? '',
    timestamp: c.req.header('svix-timestamp') ?? '',
    signature: c.req.header('svix-signature') ?? '',
  };
  let body: unknown;
  try {
    // Resend's SDK (already our transport's dependency) verifies with the Standard Webhooks
    // library: HMAC-SHA256 over `id.timestamp.body`, constant-time compare, 5-minute tolerance.
    // The client is never used for API calls, so its key is a placeholder.
    body = new Resend('re_verification_only').webhooks.verify({
      payload,
      headers,
      webhookSecret: deps.webhookSecret,
    });
  } catch (error) {
    // The library parses the body only once a signature matched: a SyntaxError is a signed non-JSON body.
    if (error instanceof SyntaxError) {
      deps.log('webhook rejected: signed, but the body is not JSON');
      return c.json({ error: 'body is not JSON' }, 400);
    }
    deps.log('webhook rejected: missing, stale or wrong signature');
    return c.json({ error: 'invalid signature' }, 401);
  }
  const parsed = eventSchema.safeParse(body);
  if (!parsed.success) {
    deps.log('webhook rejected: signed, but not a Resend event');
    return c.json({ error: 'not a Resend event' }, 400);
  }
  const outcome = await deps.writes.run(() => applyResendEvent(deps, headers.id, parsed.data));
  deps.log(`webhook ${parsed.data.type}: ${outcome}`);
  return c.json({ ok: true, outcome });
}

/**
 * Applies one event in one transaction, together with recording its svix-id, so a replay (or a
 * Resend retry of a message already applied) changes nothing and a crash never half-applies one.
 * Delivery events update the delivery row with that provider id; permanent bounces, complaints and
 * provider suppressions also stop the subscriber and suppress the address.
 */
export function applyResendEvent(deps: ServeDeps, messageId: string, event: ResendEvent): WebhookOutcome {
  const { store } = deps;
  return store.transaction((): WebhookOutcome => {
    const fresh = store.db
      .prepare('INSERT OR IGNORE INTO webhook_messages (provider, message_id, received_at) VALUES (?, ?, ?)')
      .run('resend', messageId, store.now()).changes;
    if (fresh === 0) return 'duplicate';
    let word = DELIVERY_EVENTS[event.type];
    if (word === undefined) return 'ignored';
    const permanent = event.data.bounce?.type === 'Permanent';
    if (event.type === 'email.bounced' && !permanent) word = 'bounced_transient';
    const providerId = event.data.email_id;
    if (providerId !== undefined) {
      store.db
        .prepare(
          `UPDATE deliveries SET provider_event = ?, provider_event_at = ?
           WHERE provider_id = ? AND (provider_event_at IS NULL OR provider_event_at <= ?)`,
        )
        .run(word, event.created_at, providerId, event.created_at);
    }
    const stop = stopFor(event.type, permanent);
    if (stop) stopRecipient(deps, event, stop);
    return 'applied';
  });
}

function stopFor(type: string, permanent: boolean): 'bounced' | 'complained' | undefined {
  if (type === 'email.complained') return 'complained';
  if (type === 'email.bounced' && permanent) return 'bounced';
  // Resend refused to send because the address is on its suppression list (an earlier hard
  // bounce or complaint): it cannot reach the person through us any more.
  if (type === 'email.suppressed') return 'bounced';
  return undefined;
}

function stopRecipient(deps: ServeDeps, event: ResendEvent, status: 'bounced' | 'complained'): void {
  const { store } = deps;
  const fromDelivery =
    event.data.email_id === undefined
      ? undefined
      : store.db
          .prepare<[string], { subscriber_id: number | null }>(
            'SELECT subscriber_id FROM deliveries WHERE provider_id = ? AND subscriber_id IS NOT NULL LIMIT 1',
          )
          .get(event.data.email_id)?.subscriber_id;
  const keys = new Set<string>();
  for (const to of event.data.to ?? []) {
    const address = parseEmail(to.replace(/^.*<([^>]+)>\s*$/, '$1'));
    if (address.ok) keys.add(address.key);
  }
  if (typeof fromDelivery === 'number') {
    const row = store.db
      .prepare<[number], { email_key: string }>('SELECT email_key FROM subscribers WHERE id = ?')
      .get(fromDelivery);
    if (row) keys.add(row.email_key);
  }
  for (const key of keys) stopAddress(store, key, status);
}
