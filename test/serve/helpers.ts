import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { startServer, type RunningServer, type ServeOptions } from '../../src/serve/index.ts';
import { unsubscribeToken } from '../../src/tokens.ts';

/** The deployment secret of the test servers (≥ 32 bytes). */
export const SECRET = 'test-secret-0123456789-abcdefghijklmnop';
/** Resend's webhook signing secret of the test servers (`whsec_` + base64 of 24 bytes). */
export const WEBHOOK_SECRET = `whsec_${Buffer.from('resend-webhook-test-key!').toString('base64')}`;

/** lists.yml of the tests: two public lists and one forum that is not public. */
export const LISTS_YML = `default: nyhetsbrev
lists:
  - id: nyhetsbrev
    name: Nyhetsbrevet
    description: Månadens nyhetsbrev från nätverket.
    public: yes
  - id: tillganglighet
    name: Nätverket för digital tillgänglighet
    description: Öppet för alla som arbetar med tillgängliga webbplatser.
    public: yes
  - id: arkiv
    name: Forum för arkiv
    description: Arkivarier och registratorer i medlemsmyndigheterna.
    public: no
`;

/** A test server with its temp folder, collected log lines and a clock the test can move. */
export interface TestServer extends RunningServer {
  dir: string;
  config: Config;
  /** The endpoint the pages and emails link to, on the real port: `http://127.0.0.1:<port>/prenumeration/`. */
  endpoint: string;
  logs: string[];
  outbox: string;
  /** Moves the server's clock (tokens, timestamps) forward by `ms`. */
  advance(ms: number): void;
  /** Closes the server and removes the temp folder. */
  stop(): Promise<void>;
}

/**
 * Starts `serve` on loopback port 0 with a temp database, lists file and outbox, the endpoint
 * at the sub-path `/prenumeration/` (so the prefix mounting is exercised), and a rate limit high
 * enough not to get in the way unless a test sets its own. `seed` may write the database first;
 * `theme` names a theme folder (an absolute path);
 * `dir` reuses the folder (and database) of a server closed with `close()`.
 */
export async function startTestServer(
  { seed, theme, ...options }: ServeOptions & { seed?: (database: string) => void; theme?: string } = {},
  dir = mkdtempSync(join(tmpdir(), 'nyhetsbrev-serve-')),
): Promise<TestServer> {
  writeFileSync(join(dir, 'lists.yml'), LISTS_YML);
  if (seed) {
    mkdirSync(join(dir, 'db'));
    seed(join(dir, 'db/nyhetsbrev.db'));
  }
  const config = parseConfig(
    `organisation: Myndighetsnätverket
newsletter: Nyhetsbrev från Myndighetsnätverket
baseUrl: https://natverket.example.org/nyhetsbrev/
endpoint: https://natverket.example.org/prenumeration/
sender:
  from: Nätverket <nyhetsbrev@natverket.example.org>
footer: Du får det här nyhetsbrevet eftersom du har anmält dig.
database: db/nyhetsbrev.db
lists: lists.yml
transport:
  outbox:
    dir: outbox
${theme ? `theme: ${theme}\n` : ''}`,
    join(dir, 'nyhetsbrev.yml'),
  );
  let offset = 0;
  const logs: string[] = [];
  const server = await startServer(config, {
    port: 0,
    localLinks: true,
    env: { NYHETSBREV_SECRET: SECRET, RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET },
    clock: () => new Date(Date.now() + offset),
    log: (line) => logs.push(line),
    rateLimit: { limit: 1000, windowMs: 60_000 },
    shutdownTimeoutMs: 2_000,
    ...options,
  });
  return {
    ...server,
    dir,
    config,
    endpoint: server.deps.endpoint,
    logs,
    outbox: join(dir, 'outbox'),
    advance: (ms) => void (offset += ms),
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Takes the database's write lock from a second connection, as an import or a send in another
 * process does, and holds it until `release()` (which rolls back: nothing is written).
 */
export function holdWriteLock(path: string): { release(): void } {
  const other = new Database(path);
  other.exec('BEGIN IMMEDIATE');
  return {
    release() {
      other.exec('ROLLBACK');
      other.close();
    },
  };
}

/**
 * A clock for serve's wait for the write lock that moves only when serve sleeps (each sleep adds
 * its milliseconds), so "gives up after 500 ms" takes no real time. With `frozen` set, the clock
 * stands still and a waiting write waits until the test releases the lock.
 */
export function lockWaitClock() {
  const clock = {
    frozen: false,
    ms: 0,
    sleeps: 0,
    now: () => clock.ms,
    sleep: async (ms: number) => {
      clock.sleeps++;
      if (!clock.frozen) clock.ms += ms;
      await new Promise((resolve) => setTimeout(resolve, 1));
    },
  };
  return clock;
}

/** POSTs a urlencoded form; never follows redirects (the tests assert there are none). */
export function postForm(
  url: string,
  fields: Record<string, string | string[]>,
  headers: Record<string, string> = {},
) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  }
  return fetch(url, { method: 'POST', body, redirect: 'manual', headers });
}

/** Every email in the outbox, oldest first, parsed. Waits for the server's mail queue first. */
export async function outboxMails(server: TestServer): Promise<ParsedMail[]> {
  await server.deps.mailer.idle();
  let files: string[];
  try {
    files = readdirSync(server.outbox).filter((name) => name.endsWith('.eml'));
  } catch {
    return [];
  }
  const paths = files.map((name) => join(server.outbox, name));
  paths.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
  return Promise.all(paths.map((path) => simpleParser(readFileSync(path))));
}

/** The confirmation link of a confirmation email (from its plain-text part). */
export function confirmLink(mail: ParsedMail): string {
  const match = mail.text?.match(/https?:\/\/\S+\/bekrafta\?t=\S+/);
  if (!match) throw new Error(`no confirmation link in: ${mail.text}`);
  return match[0];
}

/** Subscribes and returns the confirmation link that arrives. */
export async function subscribeAndGetLink(
  server: TestServer,
  email: string,
  fields: Record<string, string | string[]> = {},
) {
  const before = (await outboxMails(server)).length;
  const response = await postForm(`${server.endpoint}prenumerera`, { email, ...fields });
  if (response.status !== 200) throw new Error(`subscribe answered ${response.status}`);
  const mails = await outboxMails(server);
  const mail = mails.slice(before).find((m) => (m.to && 'text' in m.to ? m.to.text : '').includes(email));
  if (!mail) throw new Error(`no confirmation email to ${email}`);
  return confirmLink(mail);
}

/**
 * One test server for a file's tests: started before them (and handed to `use`, which keeps it in
 * the file's own variable), stopped after them.
 */
export function serverForFile(use: (server: TestServer) => void): void {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer();
    use(server);
  });
  afterAll(async () => {
    await server?.stop();
  });
}

/**
 * Stores an active subscriber (no name, consent source `cli:add`) who is a member of `lists`, as
 * `subscribers add` would; returns their id.
 */
export function insertActive(server: TestServer, email: string, lists: readonly string[] = []): number {
  const { store } = server.deps;
  const { id } = store.insertSubscriber({
    email,
    emailKey: email,
    name: null,
    status: 'active',
    consentSource: 'cli:add',
  });
  for (const list of lists) store.addMembership(id, list, 'cli:add');
  return id;
}

/** A subscriber row as stored, by address. */
export function subscriberRow(server: TestServer, email: string) {
  return server.deps.store.db
    .prepare<
      [string],
      {
        id: number;
        status: string;
        consent_at: string | null;
        consent_source: string | null;
        consent_text_version: string | null;
        name: string | null;
        updated_at: string;
      }
    >(
      'SELECT id, status, consent_at, consent_source, consent_text_version, name, updated_at FROM subscribers WHERE email_key = ?',
    )
    .get(email.toLowerCase());
}

/** The unsubscribe token a send puts in this subscriber's emails (bound to their token key). */
export function unsubscribeTokenOf(server: TestServer, id: number, secret = SECRET): string {
  return unsubscribeToken(secret, { id, tokenKey: server.deps.store.tokenKey(id)! });
}

/** The list ids a subscriber belongs to, sorted. */
export function membershipsOf(server: TestServer, id: number): string[] {
  return server.deps.store.memberships(id).map((m) => m.listId);
}

/** A stable snapshot of every table a request could change, to assert that nothing changed. */
export function snapshot(server: TestServer): string {
  const db = server.deps.store.db;
  const tables = [
    'subscribers',
    'memberships',
    'suppressions',
    'confirmations',
    'deliveries',
    'webhook_messages',
  ];
  return JSON.stringify(tables.map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()));
}

/** Signs a webhook body the way Resend (Svix) does: `v1,<base64 HMAC-SHA256 of id.timestamp.body>`. */
export function svixHeaders(body: string, options: { id: string; timestamp?: number; secret?: string }) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const secret = options.secret ?? WEBHOOK_SECRET;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${options.id}.${timestamp}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'svix-id': options.id,
    'svix-timestamp': String(timestamp),
    'svix-signature': `v1,${signature}`,
  };
}
