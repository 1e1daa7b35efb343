import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach } from 'vitest';
import {
  importCsv as importCsvFile,
  openStore,
  parseLists,
  type ImportReport,
  type Lists,
  type Store,
  type StoreOptions,
} from '../../src/audience/index.ts';
import { UserError } from '../../src/errors.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CSV_FIXTURES = join(ROOT, 'test/fixtures/csv');
export const LIST_IDS = ['nyhetsbrev', 'digitalisering', 'arkiv', 'upphandling'];

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nyhetsbrev-audience-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A store on a new temp database file (closed after the test), with a fixed clock by default. */
export function tempStore(options: StoreOptions = {}): Store {
  const store = openStore(join(tempDir(), 'db', 'test.db'), {
    now: () => new Date('2026-11-02T09:00:00Z'),
    env: {},
    ...options,
  });
  cleanups.push(() => {
    if (store.db.open) store.close();
  });
  return store;
}

/** The lists the tests use (a subset of the real forums). */
export const TEST_LISTS: Lists = parseLists(
  `default: nyhetsbrev\nlists:\n${LIST_IDS.map((id) => `  - {id: ${id}, name: ${id}, description: test, public: ${id === 'nyhetsbrev' ? 'yes' : 'no'}}`).join('\n')}\n`,
  'lists.yml',
);

/** Parses, validates and imports CSV bytes (named input.csv) into `list`, as the CLI does. */
export function importCsv(
  store: Store,
  bytes: Buffer | string,
  list = 'arkiv',
  strict = false,
): ImportReport {
  return importCsvFile(store, TEST_LISTS, { bytes: Buffer.from(bytes), file: 'input.csv' }, { list, strict });
}

/** Addresses in the store, by key. */
export function emails(store: Store): string[] {
  return store.listSubscribers().map((row) => row.email);
}

/** Runs `fn` and returns the UserError it throws; fails when it throws nothing or another error. */
export function thrown(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError, but nothing was thrown');
}

/** A temp config whose database and lists live in a temp folder; returns the paths. */
export function tempConfig(): { dir: string; config: string; database: string } {
  const dir = tempDir();
  const database = join(dir, 'subscribers', 'test.db');
  const lists = join(dir, 'lists.yml');
  writeFileSync(lists, readFileSync(join(ROOT, 'subscribers/lists.yml')));
  const config = join(dir, 'nyhetsbrev.yml');
  writeFileSync(
    config,
    [
      'organisation: Testnätverket',
      'newsletter: Testbrevet',
      'baseUrl: https://natverket.example.org/nyhetsbrev/',
      'sender:',
      '  from: Testnätverket <nyhetsbrev@natverket.example.org>',
      'footer: Du får det här brevet för att du testar.',
      `database: ${JSON.stringify(database)}`,
      `lists: ${JSON.stringify(lists)}`,
      '',
    ].join('\n'),
  );
  return { dir, config, database };
}

/** Result of running the CLI. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const BIN = join(ROOT, 'bin/nyhetsbrev.js');
const CHILD_ENV = { ...process.env, CI: '1', NYHETSBREV_SECRET: '' };

/** Runs `node bin/nyhetsbrev.js --config CONFIG …args` and waits for it. */
export function runCli(config: string, args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const result = spawnSync(process.execPath, [BIN, '--config', config, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...CHILD_ENV, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the CLI without waiting; for the crash test. */
export function startCli(config: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [BIN, '--config', config, ...args], {
    cwd: ROOT,
    env: { ...CHILD_ENV, ...env },
  });
}
