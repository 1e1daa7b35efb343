import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { unsubscribeToken } from '../src/tokens.ts';
import { figure, target, type BenchResult } from './result.ts';
import { ROOT, scratch } from './setup.ts';

const SECRET = 'bench-secret-0123456789-abcdefghijklmnopq';
const WEBHOOK_KEY = Buffer.from('bench-webhook-signing-key');
const SEEDED = 41;
const WORKERS = 6;

interface Sample {
  kind: string;
  status: number;
  ms: number;
  /** When it was sent (performance.now()). */
  start: number;
  /** The subscriber a one-click unsubscribe was for. */
  id?: number;
}

/**
 * Benchmark: `serve` (its own process) under a stream of requests from 6 concurrent clients —
 * the form, subscribe, one-click unsubscribe, a confirmation page, a webhook — while
 * `subscribers import` (another process) writes 100,000 rows in one transaction. Reports the
 * latency of the requests made while the import ran, their statuses, and whether every one-click
 * unsubscribe answered 200 was applied once the import finished. `bin` lets the same run be made
 * against another checkout (the code before a change).
 */
export async function benchServeBusy(
  { quick }: { quick: boolean },
  bin = join(ROOT, 'bin/nyhetsbrev.js'),
): Promise<BenchResult> {
  const rows = quick ? 20_000 : 100_000;
  const dir = scratch('serve-busy');
  const config = workspace(dir, rows);
  const env = {
    ...process.env,
    NYHETSBREV_SECRET: SECRET,
    RESEND_WEBHOOK_SECRET: `whsec_${WEBHOOK_KEY.toString('base64')}`,
  };
  const serve = spawn(process.execPath, [bin, '--config', config, 'serve', '--port', '0', '--trust-proxy'], {
    env,
  });
  try {
    const url = await listening(serve);
    // Subscribers 1 … SEEDED, for the one-click unsubscribes to name.
    for (let i = 0; i < SEEDED; i++) {
      const seeded = await request(url, 'seed', i);
      if (seeded.status !== 200) throw new Error(`seeding answered ${seeded.status}`);
    }
    readTokenKeys(join(dir, 'db.sqlite'));
    const probe = lockProbe(join(dir, 'db.sqlite'));
    const started = performance.now();
    const importer = spawn(
      process.execPath,
      [bin, '--config', config, 'subscribers', 'import', join(dir, 'rader.csv'), '--list', 'digitalisering'],
      { env, stdio: 'ignore' },
    );
    const imported = new Promise<number>((done) =>
      importer.once('exit', () => done(performance.now() - started)),
    );
    let running = true;
    void imported.then(() => setTimeout(() => (running = false), 1_000));
    const samples: Sample[] = [];
    let n = 0;
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (running) samples.push(await request(url, KINDS[n % KINDS.length]!, n++));
      }),
    );
    const importMs = await imported;
    const held = probe.stop();
    // The journal is tried every 2 s: give it time, then look in the database.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const { left, confirmed } = unsubscribesLeft(join(dir, 'db.sqlite'), samples);
    const during = samples.filter((sample) => sample.start >= held.from && sample.start <= held.to);
    const after = samples.filter((sample) => sample.start > held.to).map((sample) => sample.ms);
    return report(during, Math.max(...after), importMs, held.to - held.from, rows, left, confirmed);
  } finally {
    serve.kill('SIGTERM');
  }
}

const KINDS = ['form', 'subscribe', 'unsubscribe', 'confirm page', 'webhook'] as const;

async function request(url: string, kind: string, n: number): Promise<Sample> {
  const started = performance.now();
  let status = 0;
  try {
    const response = await fetch(...call(url, kind, n));
    await response.arrayBuffer();
    status = response.status;
  } catch {
    status = -1;
  }
  const sample = { kind, status, ms: performance.now() - started, start: started };
  return kind === 'unsubscribe' ? { ...sample, id: 1 + (n % SEEDED) } : sample;
}

function call(url: string, kind: string, n: number): [string, RequestInit?] {
  // Every request from its own client address (serve runs with --trust-proxy): the per-client
  // rate limit would otherwise answer most subscribes 429 without touching the database.
  const form = (fields: Record<string, string>): RequestInit => ({
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` },
  });
  if (kind === 'form') return [`${url}prenumerera`];
  if (kind === 'seed') return [`${url}prenumerera`, form({ email: `seed${n}@example.org` })];
  if (kind === 'subscribe') return [`${url}prenumerera`, form({ email: `person${n}@example.org` })];
  if (kind === 'unsubscribe') {
    const id = 1 + (n % SEEDED);
    const token = unsubscribeToken(SECRET, { id, tokenKey: tokenKeys.get(id) ?? '' });
    return [`${url}avregistrera?t=${token}`, form({ 'List-Unsubscribe': 'One-Click' })];
  }
  if (kind === 'confirm page') return [`${url}bekrafta?t=inte.giltig`];
  const body = JSON.stringify({
    type: 'email.delivered',
    created_at: new Date().toISOString(),
    data: { email_id: `re_${n}`, to: ['x@example.org'] },
  });
  const id = `msg_${n}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', WEBHOOK_KEY).update(`${id}.${timestamp}.${body}`).digest('base64');
  return [
    `${url}webhooks/resend`,
    {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'svix-id': id,
        'svix-timestamp': String(timestamp),
        'svix-signature': `v1,${signature}`,
      },
    },
  ];
}

/** The seeded subscribers' token keys (schema 4 binds unsubscribe links to them), by id. */
const tokenKeys = new Map<number, string>();

function readTokenKeys(database: string): void {
  const db = new Database(database, { readonly: true });
  try {
    const rows = db
      .prepare<[], { id: number; token_key: string }>('SELECT id, token_key FROM subscribers')
      .all();
    for (const row of rows) tokenKeys.set(row.id, row.token_key);
  } finally {
    db.close();
  }
}

/** One-click unsubscribes answered 200 whose subscriber is not unsubscribed in the database. */
function unsubscribesLeft(database: string, samples: Sample[]): { left: number; confirmed: number } {
  const db = new Database(database, { readonly: true });
  try {
    const statuses = db.prepare<[number], { status: string }>('SELECT status FROM subscribers WHERE id = ?');
    const ids = new Set(samples.filter((s) => s.status === 200 && s.id !== undefined).map((s) => s.id!));
    const left = [...ids].filter((id) => statuses.get(id)?.status !== 'unsubscribed').length;
    return { left: ids.size === 0 ? Number.NaN : left, confirmed: ids.size };
  } finally {
    db.close();
  }
}

function report(
  during: Sample[],
  maxAfter: number,
  importMs: number,
  lockMs: number,
  rows: number,
  left: number,
  confirmed: number,
): BenchResult {
  const ms = during.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? Number.NaN;
  const count = (test: (status: number) => boolean) => during.filter((s) => test(s.status)).length;
  const errors = count((status) => status >= 500 && status !== 503) + count((status) => status < 0);
  return {
    id: 'serve-busy',
    title: 'serve during a large import',
    method: `serve and \`subscribers import\` of ${rows.toLocaleString('en-US')} rows in separate processes; ${WORKERS} clients loop over the form, subscribe, one-click unsubscribe, a confirmation page and a webhook while the import runs. Latency of the requests sent while the import held the write lock (the longest run of a probe connection failing BEGIN IMMEDIATE every 25 ms).`,
    figures: [
      figure('import wall', importMs, 'ms', `${(importMs / 1000).toFixed(1)} s`),
      figure('write lock held by the import', lockMs, 'ms', `${(lockMs / 1000).toFixed(1)} s`),
      figure('requests while it held the lock', during.length, 'requests', String(during.length)),
      figure('p50', at(0.5), 'ms', `${at(0.5).toFixed(0)} ms`),
      figure('p99', at(0.99), 'ms', `${at(0.99).toFixed(0)} ms`),
      figure('max', ms.at(-1) ?? Number.NaN, 'ms', `${(ms.at(-1) ?? Number.NaN).toFixed(0)} ms`),
      figure('max in the second after the import', maxAfter, 'ms', `${maxAfter.toFixed(0)} ms`),
      figure(
        '503 (busy, Retry-After)',
        count((s) => s === 503),
        'requests',
        String(count((s) => s === 503)),
      ),
      figure('other 5xx or no answer', errors, 'requests', String(errors)),
    ],
    targets: [
      target('p99 latency during the import', at(0.99), 'ms', '<', 1000),
      target('5xx other than 503, or no answer', errors, 'requests', '≤', 0),
      target('one-click unsubscribes answered 200 but not applied', left, 'subscribers', '≤', 0),
    ],
    notes: [`${confirmed} seeded subscribers got a one-click unsubscribe answered 200.`],
    bounds: [],
  };
}

/**
 * Tries the write lock every 25 ms from a connection of its own (rolling back at once when it gets
 * it); the longest run of refusals is the import's transaction.
 */
function lockProbe(database: string): { stop(): { from: number; to: number } } {
  const db = new Database(database, { timeout: 0 });
  let run: { from: number; to: number } | undefined;
  let longest = { from: 0, to: 0 };
  const timer = setInterval(() => {
    const now = performance.now();
    try {
      db.exec('BEGIN IMMEDIATE');
      db.exec('ROLLBACK');
      run = undefined;
    } catch {
      run = { from: run?.from ?? now, to: now };
      if (run.to - run.from > longest.to - longest.from) longest = run;
    }
  }, 25);
  return {
    stop() {
      clearInterval(timer);
      db.close();
      return longest;
    },
  };
}

function workspace(dir: string, rows: number): string {
  copyFileSync(join(ROOT, 'subscribers/lists.yml'), join(dir, 'lists.yml'));
  const lines = ['email,name'];
  for (let i = 0; i < rows; i++) lines.push(`rad${i}@myndighet${i % 211}.example.se,Namn ${i}`);
  writeFileSync(join(dir, 'rader.csv'), `${lines.join('\n')}\n`);
  const config = join(dir, 'nyhetsbrev.yml');
  writeFileSync(
    config,
    `organisation: Nätverket\nnewsletter: Nyhetsbrevet\nbaseUrl: https://natverket.example.org/nyhetsbrev/\nsender:\n  from: nyhetsbrev@natverket.example.org\nfooter: Bench.\ndatabase: db.sqlite\nlists: lists.yml\ntransport:\n  outbox:\n    dir: outbox\n`,
  );
  return config;
}

function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/listening on (http:\/\/\S+\/)/);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
}
