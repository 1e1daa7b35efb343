import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupDatabase } from '../../src/backup/index.ts';
import { UserError } from '../../src/errors.ts';
import { startResendStub } from '../support/resend-stub.ts';
import {
  afterThisTest,
  ARCHIVE,
  runCli,
  SECRET,
  seedSubscribers,
  startCli,
  tempProject,
} from '../send/helpers.ts';
import { contents, stderrMarker } from './helpers.ts';

describe('nyhetsbrev backup FILE', () => {
  it(
    'copies every committed row, and none of an import paused mid-transaction, without waiting for it',
    { timeout: 180_000 },
    async () => {
      const project = tempProject();
      seedSubscribers(project, 300);
      const csv = join(project.dir, 'big.csv');
      const rows = Array.from({ length: 4000 }, (_, i) => `later-${String(i).padStart(4, '0')}@example.org`);
      writeFileSync(csv, `e-post\n${rows.join('\n')}\n`);
      // Test hook of the importer: it stops inside its transaction, holding the write lock.
      const importer = startCli(project, ['subscribers', 'import', csv, '--list', 'arkiv'], {
        NYHETSBREV_TEST_PAUSE_IMPORT_AT: '2000',
      });
      afterThisTest(() => void importer.kill('SIGKILL'));
      await stderrMarker(importer, 'NYHETSBREV_TEST_PAUSED');

      const copy = join(project.dir, 'backups', 'nightly.db');
      const run = await runCli(project, ['backup', copy]);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(
        new RegExp(
          `^Backed up ${project.database} to ${copy} \\(schema \\d+, 300 subscribers, 0 campaigns, [\\d.]+ MB\\); integrity check ok\\.\\n$`,
        ),
      );
      // The import is still paused: the backup did not wait for its transaction.
      expect(importer.exitCode).toBeNull();
      importer.kill('SIGKILL');
      await importer.done;

      const live = contents(project.database);
      const copied = contents(copy);
      expect(copied).toMatchObject({ integrity: 'ok', journalMode: 'delete', mode: '600', memberships: 300 });
      expect(copied.subscribers).toHaveLength(300);
      expect(copied.subscribers).toEqual(live.subscribers);
      // One self-contained file: no journal beside it, no temp file left.
      expect(readdirSync(join(project.dir, 'backups'))).toEqual(['nightly.db']);
    },
  );

  it(
    'copies a consistent snapshot during a send: exactly the deliveries recorded as sent at that moment',
    { timeout: 180_000 },
    async () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let reached!: () => void;
      const inFlight = new Promise<void>((resolve) => (reached = resolve));
      // Two chunks go through; the third and later requests wait until the backup is taken.
      const stub = await startResendStub({
        hold: async (seq) => {
          if (seq < 3) return;
          reached();
          await released;
        },
      });
      afterThisTest(async () => {
        release();
        await stub.close();
      });
      const project = tempProject([
        'transport:',
        '  default: resend',
        '  resend:',
        `    baseUrl: ${stub.url}`,
      ]);
      seedSubscribers(project, 600);
      const sender = startCli(project, ['send', '2025-01', '--issues', ARCHIVE, '--yes'], {
        RESEND_API_KEY: 're_test_stub',
        NYHETSBREV_SECRET: SECRET,
      });
      afterThisTest(() => void sender.kill('SIGKILL'));
      await inFlight;
      while (contents(project.database).sent.length < 200) await new Promise((r) => setTimeout(r, 50));
      const sentBefore = contents(project.database).sent;

      const copy = join(project.dir, 'during-send.db');
      expect((await runCli(project, ['backup', copy])).stdout).toContain('600 subscribers, 1 campaigns');
      const copied = contents(copy);
      expect(copied).toMatchObject({ integrity: 'ok', mode: '600', deliveries: 600 });
      expect(copied.sent).toEqual(sentBefore);
      expect(sentBefore).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));

      // The send was not disturbed: it finishes, every recipient once.
      release();
      expect((await sender.done).code).toBe(0);
      expect(contents(project.database).sent).toHaveLength(600);
      expect(new Set(stub.emails().map((email) => String(email.to))).size).toBe(600);
    },
  );

  it('never overwrites a file unasked, never the database itself, and needs a database', async () => {
    const project = tempProject();
    seedSubscribers(project, 3);
    const existing = join(project.dir, 'old.db');
    writeFileSync(existing, 'an older backup');
    await expect(backupDatabase(project.database, existing)).rejects.toThrow(
      `${existing} exists; a backup never overwrites a file unasked.`,
    );
    await expect(backupDatabase(project.database, project.database, { force: true })).rejects.toThrow(
      `${project.database} is the live database itself.`,
    );
    const replaced = await backupDatabase(project.database, existing, { force: true });
    expect(contents(replaced.file).subscribers).toHaveLength(3);

    const missing = join(project.dir, 'nothing.db');
    const error: unknown = await backupDatabase(missing, join(project.dir, 'x.db')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ name: 'BackupFailed', message: `There is no database at ${missing}.` });
    expect(existsSync(missing)).toBe(false);
  });
});
