import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Stats } from '../../src/audience/format.ts';
import type { PersonExport } from '../../src/audience/index.ts';
import { CSV_FIXTURES, ROOT, runCli, tempConfig } from './helpers.ts';

const fixture = (name: string): string => join(CSV_FIXTURES, name, 'input.csv');

describe('nyhetsbrev subscribers (CLI)', () => {
  it('imports a clean file: exit 0 and a summary line', () => {
    const { config } = tempConfig();
    const run = runCli(config, ['subscribers', 'import', fixture('clean'), '--list', 'arkiv']);
    expect(run).toMatchObject({ code: 0, stdout: '5 added, 0 already present\n', stderr: '' });
  });

  it('imports the good rows of a messy file, lists the bad lines with reasons and exits 1', () => {
    const { config } = tempConfig();
    const run = runCli(config, ['subscribers', 'import', fixture('messy'), '--list', 'arkiv']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '4 added, 0 already present, 2 duplicate row(s) merged, 6 row(s) rejected (lines 6, 8, 10, 12, 13, 15)',
    );
    expect(run.stderr).toContain('messy/input.csv:6: rejected: "maria.karlsson@" has no domain after the @');
    expect(run.stderr).toContain('messy/input.csv:5: info: the same address as line 2; merged');
    expect(run.stderr).toContain('ImportFailed: 6 row(s) were rejected; the other rows');
    expect(runCli(config, ['subscribers', 'list', '--json']).stdout).toContain(
      'ebba.lundgren@transportstyrelsen.test',
    );
  });

  it('imports nothing with --strict when a row is bad, and says so (exit 1)', () => {
    const { config } = tempConfig();
    const run = runCli(config, ['subscribers', 'import', fixture('messy'), '--list', 'arkiv', '--strict']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ImportFailed: Nothing was imported: 6 row(s)');
    expect(JSON.parse(runCli(config, ['subscribers', 'list', '--json']).stdout)).toEqual([]);
  });

  it('refuses an unknown --list with UnknownList naming the known lists (exit 1)', () => {
    const { config } = tempConfig();
    const run = runCli(config, ['subscribers', 'import', fixture('clean'), '--list', 'forum-x']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('UnknownList: No list with the id "forum-x"');
    expect(run.stderr).toContain('hint: Known lists: nyhetsbrev, digitalisering, arkiv, upphandling');
  });

  it('refuses hostile files with a clear message and no stack trace (exit 1)', () => {
    const { config, dir } = tempConfig();
    const long = join(dir, 'long.csv');
    writeFileSync(long, `email\n${'x'.repeat(5 * 1024 * 1024)}\n`);
    const binary = join(dir, 'binary.csv');
    writeFileSync(binary, Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 131) % 256)));
    for (const [file, message] of [
      [long, 'characters long'],
      [binary, 'binary file'],
      [join(dir, 'missing.csv'), 'cannot read'],
    ] as const) {
      const run = runCli(config, ['subscribers', 'import', file, '--list', 'arkiv']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('add, remove, list and stats change and show the database', () => {
    const { config } = tempConfig();
    expect(
      runCli(config, [
        'subscribers',
        'add',
        'Anna@Example.org',
        '--name',
        'Anna',
        '--list',
        'arkiv',
        '--list',
        'upphandling',
      ]),
    ).toMatchObject({
      code: 0,
      stdout: 'Added Anna@example.org (active): joined arkiv, upphandling.\n',
    });
    expect(runCli(config, ['subscribers', 'add', 'erik@example.org']).stdout).toContain('joined nyhetsbrev');
    expect(runCli(config, ['subscribers', 'remove', 'anna@example.org', '--list', 'arkiv']).code).toBe(0);
    expect(runCli(config, ['subscribers', 'remove', 'erik@example.org']).stdout).toContain(
      'is now unsubscribed',
    );
    const listed = runCli(config, ['subscribers', 'list', '--status', 'active']);
    expect(listed.stdout).toMatch(
      /^email\s+name\s+status\s+lists\nAnna@example.org\s+Anna\s+active\s+upphandling\n1 subscriber\(s\)\n$/,
    );
    const stats = JSON.parse(runCli(config, ['subscribers', 'stats', '--json']).stdout) as Stats;
    expect(stats.lists.upphandling?.active).toBe(1);
    expect(stats.lists.nyhetsbrev?.unsubscribed).toBe(1);
    expect(stats.total).toMatchObject({ active: 1, unsubscribed: 1 });
    expect(stats.suppressions).toEqual({ unsubscribed: 1 });
    expect(runCli(config, ['subscribers', 'stats']).stdout).toContain(
      'suppressed addresses: 1 (unsubscribed 1)',
    );
  });

  it('export → forget → export over the CLI: the JSON shows the data gone', () => {
    const { config } = tempConfig();
    runCli(config, ['subscribers', 'add', 'anna@example.org', '--name', 'Anna Lindqvist']);
    const before = JSON.parse(
      runCli(config, ['subscribers', 'export', 'anna@example.org']).stdout,
    ) as PersonExport;
    expect(before.subscriber).toMatchObject({ email: 'anna@example.org', name: 'Anna Lindqvist' });
    const forget = runCli(config, ['subscribers', 'forget', 'anna@example.org']);
    expect(forget).toMatchObject({ code: 0, stderr: '' });
    expect(forget.stdout).toContain('Only a keyed hash is kept');
    const after = runCli(config, ['subscribers', 'export', 'anna@example.org']);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({
      subscriber: null,
      memberships: [],
      deliveries: [],
      suppression: { reason: 'forgotten' },
    });
    expect(after.stdout).not.toContain('Lindqvist');
  });

  it('exits 1 with a named error for unknown addresses, bad addresses and suppressed adds', () => {
    const { config } = tempConfig();
    expect(runCli(config, ['subscribers', 'remove', 'nobody@example.org']).stderr).toContain(
      'SubscriberNotFound',
    );
    expect(runCli(config, ['subscribers', 'export', 'nobody@example.org']).code).toBe(1);
    expect(runCli(config, ['subscribers', 'add', 'not-an-address']).stderr).toContain(
      'UsageError: Not a valid email address',
    );
    runCli(config, ['subscribers', 'forget', 'gone@example.org']);
    const add = runCli(config, ['subscribers', 'add', 'gone@example.org']);
    expect(add.code).toBe(1);
    expect(add.stderr).toContain('SubscriberSuppressed');
  });

  it('exits 1 with DatabaseError, not 70, for a foreign database and for a path under a file, changing nothing', () => {
    const { config, database } = tempConfig();
    mkdirSync(dirname(database));
    const foreign = new Database(database);
    foreign.exec("CREATE TABLE notes (text); INSERT INTO notes VALUES ('keep me')");
    foreign.close();
    const before = readFileSync(database);
    const run = runCli(config, ['subscribers', 'list']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('DatabaseError');
    expect(run.stderr).toContain('not a nyhetsbrev one');
    expect(readFileSync(database).equals(before)).toBe(true);

    const { config: under, database: path } = tempConfig();
    writeFileSync(dirname(path), 'a file where the folder should be');
    const again = runCli(under, ['subscribers', 'list']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('DatabaseError');
  });

  it('exits 2 on a usage error (missing --list)', () => {
    const { config } = tempConfig();
    expect(runCli(config, ['subscribers', 'import', fixture('clean')]).code).toBe(2);
  });

  it('imports the committed sample file into a mix of forums', () => {
    const { config } = tempConfig();
    const run = runCli(config, [
      'subscribers',
      'import',
      join(ROOT, 'subscribers/sample-subscribers.csv'),
      '--list',
      'nyhetsbrev',
    ]);
    expect(run).toMatchObject({ code: 0, stdout: '26 added, 0 already present\n' });
    const stats = JSON.parse(runCli(config, ['subscribers', 'stats', '--json']).stdout) as Stats;
    expect(Object.values(stats.lists).every((counts) => counts.active > 0)).toBe(true);
  });
});
