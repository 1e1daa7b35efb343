import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import {
  ARCHIVE,
  projectStore,
  runCli,
  seedSubscribers,
  SECRET,
  tempProject,
  type Project,
} from './helpers.ts';

function project(): Project {
  const p = tempProject();
  seedSubscribers(p, 5);
  return p;
}

function untouched(p: Project): void {
  expect(existsSync(p.outbox) ? readdirSync(p.outbox) : []).toEqual([]);
  const db = projectStore(p).db;
  expect(db.prepare('SELECT count(*) FROM campaigns').pluck().get()).toBe(0);
  expect(db.prepare('SELECT count(*) FROM deliveries').pluck().get()).toBe(0);
}

describe('nyhetsbrev send (CLI)', () => {
  it('prints the plan with --dry-run and sends nothing', async () => {
    const p = project();
    const run = await runCli(p, ['send', '2025-01', '--issues', ARCHIVE, '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Plan for 2025-01: "Januarinumret – kort och klart"');
    expect(run.stdout).toMatch(/transport {3}outbox, 1 chunk \(5 emails\)/);
    expect(run.stdout).toMatch(/arkiv +5/);
    expect(run.stdout).toContain('Preflight: ok. Nothing was sent (dry run).');
    untouched(p);
  });

  it('refuses drafts, check errors, a missing API key or secret, and an unconfirmed send: exit 1, a clear message, nothing sent', async () => {
    const p = project();
    const cases = [
      {
        args: ['2025-02', '--yes'],
        env: {},
        says: 'SendRefused: 2025-02 is a draft (status: draft in its issue.md); drafts are never sent.',
      },
      {
        args: ['2025-03', '--yes'],
        env: {},
        says: 'SendRefused: 2025-03 has 1 content error(s), listed above. Nothing was sent.',
      },
      {
        args: ['2025-01', '--yes', '--transport', 'resend'],
        env: { NYHETSBREV_SECRET: SECRET },
        says: 'SecretMissing: The environment variable RESEND_API_KEY with the Resend API key is not set.',
      },
      {
        args: ['2025-01', '--yes', '--transport', 'resend'],
        env: { RESEND_API_KEY: 're_test_stub' },
        says: 'SecretMissing: NYHETSBREV_SECRET is not set',
      },
      {
        args: ['2025-01'],
        env: {},
        says: 'SendRefused: Refusing to send to 5 recipient(s) without confirmation: not running on a terminal. Nothing was sent.',
      },
    ];
    const runs = await Promise.all(
      cases.map((c) => runCli(p, ['send', ...c.args, '--issues', ARCHIVE], c.env)),
    );
    runs.forEach((run, i) => {
      expect({ code: run.code, says: run.stderr.includes(cases[i]!.says) }, run.stderr).toEqual({
        code: 1,
        says: true,
      });
      expect(run.stderr).toContain('hint: ');
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
    expect(runs[1]!.stderr).toMatch(/2025-03\/02-tom\.md:1:1 error .* section-empty/);
    untouched(p);
  });

  it('sends "[TEST]" copies of a draft to the given addresses only, never touching the ledger', async () => {
    const p = project();
    const run = await runCli(p, [
      'send',
      '2025-02',
      '--issues',
      ARCHIVE,
      '--test',
      'karin@example.org',
      'erik@example.org',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'Sent 2 test copies of 2025-02 via outbox to karin@example.org, erik@example.org. The campaign was not touched.',
    );
    const files = readdirSync(p.outbox);
    expect(files).toHaveLength(2);
    const mail = await simpleParser(readFileSync(join(p.outbox, files[0]!)));
    expect(mail.subject).toBe('[TEST] Februarinumret är ett utkast');
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    expect(mail.text).toContain('avregistrera?t=EXEMPEL');
    const db = projectStore(p).db;
    expect(db.prepare('SELECT count(*) FROM campaigns').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM deliveries').pluck().get()).toBe(0);
  });

  it('sends with --yes, then reports the issue as already sent and exits 0', async () => {
    const p = project();
    const first = await runCli(p, ['send', '2025-01', '--issues', ARCHIVE, '--yes']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('5 sent, 0 failed, 0 skipped, 0 uncertain of 5 recipients');
    expect(first.stderr).toBe('');
    const second = await runCli(p, ['send', '2025-01', '--issues', ARCHIVE, '--yes']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(
      /^2025-01 was already sent to 5 recipients on \d{4}-\d\d-\d\d \d\d:\d\d UTC; nothing to do\.\n$/,
    );
    expect(readdirSync(p.outbox)).toHaveLength(5);
  });
});
