import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach } from 'vitest';
import { audience, importCsv, loadLists, openStore, type Store } from '../../src/audience/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { isUserError, type UserError } from '../../src/errors.ts';
import type { SendOptions } from '../../src/send/index.ts';
import { freezeCampaign } from '../../src/send/ledger.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
/** The send fixtures' archive: 2025-01 ready, 2025-02 draft, 2025-03 with a content error. */
export const ARCHIVE = join(ROOT, 'test/send/fixtures/archive');
export const BIN = join(ROOT, 'bin/nyhetsbrev.js');
/** A secret long enough for real sends (≥ 32 bytes). */
export const SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Runs `fn` after the current test. */
export function afterThisTest(fn: () => void | Promise<void>): void {
  cleanups.push(fn);
}

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nyhetsbrev-send-'));
  afterThisTest(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A temp project: config, lists, database and outbox in one folder. */
export interface Project {
  dir: string;
  file: string;
  database: string;
  outbox: string;
  config(): Config;
}

/** A project sending over SMTP, without TLS, to the relay on loopback `port` with `maxConnections`. */
export function smtpProject(port: number, maxConnections: number): Project {
  return tempProject([
    'transport:',
    '  default: smtp',
    '  smtp:',
    '    host: 127.0.0.1',
    `    port: ${port}`,
    '    requireTLS: false',
    `    maxConnections: ${maxConnections}`,
  ]);
}

/** Writes `nyhetsbrev.yml` (plus `extra` YAML lines) and a copy of the real lists file into a temp folder. */
export function tempProject(extra: string[] = []): Project {
  const dir = tempDir();
  const lists = join(dir, 'lists.yml');
  writeFileSync(lists, readFileSync(join(ROOT, 'subscribers/lists.yml')));
  const file = join(dir, 'nyhetsbrev.yml');
  writeFileSync(
    file,
    [
      'organisation: Myndighetsnätverket',
      'newsletter: Nyhetsbrev från Myndighetsnätverket',
      'baseUrl: https://natverket.example.org/nyhetsbrev/',
      'sender:',
      '  from: Myndighetsnätverket <nyhetsbrev@natverket.example.org>',
      'footer: Du får det här nyhetsbrevet eftersom du är medlem i ett forum.',
      'database: subscribers/test.db',
      'lists: lists.yml',
      ...extra,
      '',
    ].join('\n'),
  );
  return {
    dir,
    file,
    database: join(dir, 'subscribers/test.db'),
    outbox: join(dir, 'outbox'),
    config: () => loadConfig(file, { explicit: true }),
  };
}

/** Opens the project's database (closed after the test). */
export function projectStore(project: Project, env: NodeJS.ProcessEnv = {}): Store {
  const store = openStore(project.database, { env });
  afterThisTest(() => {
    if (store.db.open) store.close();
  });
  return store;
}

/** Imports `n` subscribers `person-00000@example.org`… into `list`, as an operator's CSV would. */
export function seedSubscribers(project: Project, n: number, list = 'arkiv', prefix = 'person'): void {
  const store = openStore(project.database, { env: {} });
  try {
    const rows = Array.from(
      { length: n },
      (_, i) => `${prefix}-${String(i).padStart(5, '0')}@example.org;Person ${i}`,
    );
    const report = importCsv(
      store,
      loadLists(join(project.dir, 'lists.yml')),
      {
        bytes: Buffer.from(`e-post;namn\n${rows.join('\n')}\n`),
        file: 'seed.csv',
      },
      { list },
    );
    if (report.rejected.length > 0) throw new Error(`seed rows rejected: ${JSON.stringify(report.rejected)}`);
  } finally {
    store.close();
  }
}

/** Result of a CLI run. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const CHILD_ENV = { ...process.env, CI: '1', NYHETSBREV_SECRET: '', RESEND_API_KEY: '' };

/** Starts `node bin/nyhetsbrev.js --config FILE …args` (not on a TTY, CI set). */
export function startCli(
  project: Project,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): ChildProcess & { done: Promise<CliRun> } {
  const child = spawn(process.execPath, [BIN, '--config', project.file, ...args], {
    cwd: ROOT,
    env: { ...CHILD_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const done = new Promise<CliRun>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return Object.assign(child, { done });
}

/** Runs the CLI to its end. Asynchronous, so an in-process stub or SMTP server keeps answering. */
export function runCli(project: Project, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return startCli(project, args, env).done;
}

/** Rows per delivery status of the project's only (or given) campaign. */
export function ledger(project: Project, issueId = '2025-01'): Record<string, number> {
  const store = openStore(project.database, { env: {} });
  try {
    const rows = store.db
      .prepare<[string], { status: string; n: number }>(
        `SELECT d.status, count(*) AS n FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id
         WHERE c.issue_id = ? GROUP BY d.status`,
      )
      .all(issueId);
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  } finally {
    store.close();
  }
}

/** What an in-process send printed, and how it ended. */
export interface SendRun {
  out: string;
  err: string;
  result?: Awaited<ReturnType<typeof import('../../src/send/index.ts').sendIssue>>;
  error?: UserError;
}

/**
 * Runs `sendIssue` in this process (the function `nyhetsbrev send` calls) with the project's
 * config, capturing what it prints. User errors are returned; bugs are thrown.
 */
export async function send(project: Project, options: Partial<SendOptions> = {}): Promise<SendRun> {
  const { sendIssue } = await import('../../src/send/index.ts');
  const run: SendRun = { out: '', err: '' };
  try {
    run.result = await sendIssue(project.config(), {
      issueId: '2025-01',
      issuesDir: ARCHIVE,
      yes: true,
      env: { NYHETSBREV_SECRET: SECRET },
      out: (text) => (run.out += `${text}\n`),
      err: (text) => (run.err += `${text}\n`),
      policy: FAST_RETRY,
      ...options,
    });
  } catch (error) {
    if (!isUserError(error)) throw error;
    run.error = error;
  }
  return run;
}

/** Retries quickly in tests (the backoff itself is tested with the transports). */
export const FAST_RETRY = { maxAttempts: 4, baseMs: 20, maxMs: 100 };

/** A project with `n` subscribers on `arkiv` and a campaign of issue 2025-01 frozen for them. */
export function frozen(n: number) {
  const project = tempProject();
  seedSubscribers(project, n);
  const store = projectStore(project);
  const input = {
    issueId: '2025-01',
    subject: 'Januarinumret',
    lists: ['arkiv'],
    contentSha256: 'x',
    recipients: audience(store, ['arkiv']),
    chunkSize: 100,
  };
  return { store, input, campaign: freezeCampaign(store, input) };
}
