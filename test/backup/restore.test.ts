import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/audience/migrations.ts';
import { backupDatabase, restoreDatabase } from '../../src/backup/index.ts';
import { startServer } from '../../src/serve/index.ts';
import {
  afterThisTest,
  runCli,
  SECRET,
  seedSubscribers,
  send,
  startCli,
  tempProject,
  type Project,
} from '../send/helpers.ts';
import { contents, stderrMarker } from './helpers.ts';

const NOW = () => new Date('2026-11-03T08:15:00.000Z');

/** A project with 50 subscribers in a backup and 60 in the live database. */
async function backedUp(): Promise<{ project: Project; backup: string }> {
  const project = tempProject();
  seedSubscribers(project, 50);
  const backup = join(project.dir, 'backup.db');
  await backupDatabase(project.database, backup);
  seedSubscribers(project, 10, 'arkiv', 'later');
  return { project, backup };
}

function databaseFiles(project: Project): string[] {
  return readdirSync(join(project.dir, 'subscribers')).sort();
}

describe('nyhetsbrev restore FILE', () => {
  it(
    'refuses while serve runs, and once it stopped swaps the backup in and keeps the old file aside',
    { timeout: 180_000 },
    async () => {
      const { project, backup } = await backedUp();
      const server = await startServer(project.config(), {
        port: 0,
        env: { NYHETSBREV_SECRET: SECRET },
        log: () => {},
      });
      let running = true;
      afterThisTest(async () => {
        if (running) await server.close();
      });
      const refused = await runCli(project, ['restore', backup]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `RestoreRefused: The database ${project.database} is in use; nothing was changed.`,
      );
      expect(refused.stderr).toContain('hint: Stop `nyhetsbrev serve`');
      expect((await fetch(`${server.url}healthz`)).status).toBe(200);
      expect(server.deps.store.listSubscribers()).toHaveLength(60);
      await server.close();
      running = false;
      expect(databaseFiles(project)).toEqual(['test.db']);

      const run = await runCli(project, ['restore', backup]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const side = join(project.dir, 'subscribers', 'test.db.before-restore-');
      expect(run.stdout).toContain(
        `Restored ${project.database} from ${backup} (schema ${MIGRATIONS.length}, 50 subscribers`,
      );
      expect(run.stdout).toContain(`The database it replaced is kept as ${side}`);
      const [, sideName] = databaseFiles(project);
      expect(sideName).toMatch(/^test\.db\.before-restore-\d{4}-\d\d-\d\dT\d{6}Z$/);
      expect(contents(project.database)).toMatchObject({ integrity: 'ok', mode: '600' });
      expect(contents(project.database).subscribers).toEqual(contents(backup).subscribers);
      expect(contents(join(project.dir, 'subscribers', sideName!)).subscribers).toHaveLength(60);
    },
  );

  it('refuses while an import is in the middle of its transaction', { timeout: 180_000 }, async () => {
    const { project, backup } = await backedUp();
    const csv = join(project.dir, 'more.csv');
    writeFileSync(csv, `e-post\n${['x1', 'x2', 'x3'].map((x) => `${x}@example.org`).join('\n')}\n`);
    const importer = startCli(project, ['subscribers', 'import', csv, '--list', 'arkiv'], {
      NYHETSBREV_TEST_PAUSE_IMPORT_AT: '2',
    });
    afterThisTest(() => void importer.kill('SIGKILL'));
    await stderrMarker(importer, 'NYHETSBREV_TEST_PAUSED');
    await expect(restoreDatabase(project.database, backup, { now: NOW })).rejects.toMatchObject({
      name: 'RestoreRefused',
      message: `The database ${project.database} is in use; nothing was changed.`,
    });
    importer.kill('SIGKILL');
    await importer.done;
    // A killed process holds no lock: the restore goes ahead.
    const result = await restoreDatabase(project.database, backup, { now: NOW });
    expect(result.sideCopy).toBe(`${project.database}.before-restore-2026-11-03T081500Z`);
    expect(contents(project.database).subscribers).toHaveLength(50);
  });

  it('refuses files that are not a sound nyhetsbrev database of a known schema, changing nothing', async () => {
    const { project } = await backedUp();
    const text = join(project.dir, 'notes.txt');
    writeFileSync(text, 'not a database at all, just some text that is long enough to have a header');
    const foreign = join(project.dir, 'foreign.db');
    const other = new Database(foreign);
    other.exec('CREATE TABLE things (id INTEGER PRIMARY KEY)');
    other.close();
    const newer = join(project.dir, 'newer.db');
    await backupDatabase(project.database, newer);
    const db = new Database(newer);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();

    const cases: [string, string][] = [
      [text, `${text} is not a readable SQLite database`],
      [
        foreign,
        `${foreign} is an SQLite database, but not one of nyhetsbrev's (schema version 0, missing tables: meta, subscribers`,
      ],
      [newer, `${newer} has schema version ${MIGRATIONS.length + 1}, newer than this nyhetsbrev knows`],
      [join(project.dir, 'missing.db'), 'There is no backup at'],
    ];
    for (const [file, message] of cases) {
      const error = (await restoreDatabase(project.database, file).catch((e: unknown) => e)) as Error;
      expect(error.name).toBe('RestoreRefused');
      expect(error.message).toContain(message);
    }
    expect(databaseFiles(project)).toEqual(['test.db']);
    expect(contents(project.database).subscribers).toHaveLength(60);
  });

  it('refuses a backup that lacks emails sent since, unless --force', { timeout: 180_000 }, async () => {
    const { project, backup } = await backedUp();
    expect((await send(project)).result).toBeDefined();
    await expect(restoreDatabase(project.database, backup)).rejects.toThrow(
      'The current database records emails the backup does not: 2025-01 (60 sent now, 0 in the backup).',
    );
    expect(databaseFiles(project)).toEqual(['test.db']);
    const run = await runCli(project, ['restore', backup, '--force']);
    expect(run.code).toBe(0);
    expect(contents(project.database).subscribers).toHaveLength(50);
  });

  it('restores onto a machine that has no database yet', async () => {
    const { project, backup } = await backedUp();
    const fresh = join(project.dir, 'new-host', 'nyhetsbrev.db');
    const result = await restoreDatabase(fresh, backup);
    expect(result).toMatchObject({ database: fresh, sideCopy: undefined, warning: undefined });
    expect(contents(fresh)).toMatchObject({ integrity: 'ok', mode: '600' });
    expect(existsSync(`${fresh}-wal`)).toBe(false);
  });
});
