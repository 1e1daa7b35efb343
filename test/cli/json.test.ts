import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHIVE, runCli, seedSubscribers, SECRET, tempDir, tempProject } from '../send/helpers.ts';

const ENV = { NYHETSBREV_SECRET: SECRET };
const COUNTS = { sent: 3, failed: 0, skipped: 0, uncertain: 0, sending: 0, queued: 0, total: 3 };

/** The one JSON value on stdout (anything else there fails the parse). */
function json(stdout: string): unknown {
  return JSON.parse(stdout);
}

describe('--json output (README → Machine-readable output)', () => {
  it('send: the dry-run plan with the preflight verdict, the result, and a refusal', async () => {
    const project = tempProject();
    seedSubscribers(project, 3);
    const issues = ['--issues', ARCHIVE];
    const [plan, draft] = await Promise.all([
      runCli(project, ['send', '2025-01', ...issues, '--dry-run', '--json'], ENV),
      runCli(project, ['send', '2025-02', ...issues, '--dry-run', '--json'], ENV),
    ]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(json(plan.stdout)).toEqual({
      outcome: 'dry-run',
      issueId: '2025-01',
      plan: {
        issueId: '2025-01',
        subject: 'Januarinumret – kort och klart',
        status: 'ready',
        from: 'Myndighetsnätverket <nyhetsbrev@natverket.example.org>',
        transport: 'outbox',
        sizes: { htmlBytes: expect.any(Number) as number, textBytes: expect.any(Number) as number },
        recipients: 3,
        suppressed: 0,
        perList: [
          { list: 'nyhetsbrev', recipients: 0 },
          { list: 'digitalisering', recipients: 0 },
          { list: 'arkiv', recipients: 3 },
          { list: 'upphandling', recipients: 0 },
          { list: 'tillganglighet', recipients: 0 },
        ],
        chunks: [3],
      },
      preflight: { ok: true, problems: [] },
    });
    expect(plan.stderr).toContain('Plan for 2025-01'); // the human lines, off stdout

    expect(draft.code).toBe(1);
    expect(json(draft.stdout)).toMatchObject({
      outcome: 'dry-run',
      issueId: '2025-02',
      plan: { status: 'draft', recipients: 3 },
      preflight: {
        ok: false,
        problems: [
          {
            name: 'SendRefused',
            message: expect.stringContaining('2025-02 is a draft') as string,
            hint: expect.any(String) as string,
          },
        ],
      },
    });
    expect(draft.stderr).toContain('SendRefused: 2025-02 is a draft');

    const sent = await runCli(project, ['send', '2025-01', ...issues, '--yes', '--json'], ENV);
    expect(sent.code, sent.stderr).toBe(0);
    expect(json(sent.stdout)).toEqual({
      outcome: 'complete',
      issueId: '2025-01',
      campaign: expect.stringMatching(/^c1-[0-9a-f]{8}$/) as string,
      counts: COUNTS,
      error: null,
    });
    const [again, refused] = await Promise.all([
      runCli(project, ['send', '2025-01', ...issues, '--yes', '--json'], ENV),
      runCli(project, ['send', '2025-03', ...issues, '--yes', '--json'], ENV),
    ]);
    expect(json(again.stdout)).toMatchObject({ outcome: 'already-sent', counts: COUNTS, error: null });
    expect(refused.code).toBe(1);
    expect(json(refused.stdout)).toEqual({
      outcome: 'refused',
      issueId: '2025-03',
      campaign: null,
      counts: null,
      error: {
        name: 'SendRefused',
        message: '2025-03 has 1 content error(s), listed above. Nothing was sent.',
        hint: expect.any(String) as string,
      },
    });
  }, 240_000);

  it('build and publish: what was written, with the messages; and the failure', async () => {
    const project = tempProject();
    const issues = join(tempDir(), 'issues');
    cpSync(ARCHIVE, issues, { recursive: true });
    const out = join(project.dir, 'dist');
    const site = join(project.dir, 'site');
    // 2025-03 is ready but has an error: build and publish refuse, and say why in their JSON too.
    const [unbuilt, unpublished] = await Promise.all([
      runCli(project, ['build', '--issues', issues, '--out', out, '--json']),
      runCli(project, ['publish', '--to', site, '--issues', issues, '--json']),
    ]);
    const failure = {
      summary: { errors: 1 },
      messages: [expect.objectContaining({ severity: 'error', ruleId: 'section-empty' })],
    };
    expect(unbuilt.code).toBe(1);
    expect(json(unbuilt.stdout)).toMatchObject({
      outDir: out,
      built: [],
      files: 0,
      emails: null,
      ...failure,
      error: { name: 'CheckFailed', message: 'Nothing was built: 1 error(s) in the issues.' },
    });
    expect(unpublished.code).toBe(1);
    expect(json(unpublished.stdout)).toMatchObject({
      to: site,
      replaced: false,
      changes: null,
      ...failure,
      error: { name: 'CheckFailed' },
    });

    rmSync(join(issues, '2025-03'), { recursive: true });
    const [built, published] = await Promise.all([
      runCli(project, ['build', '2025-01', '--issues', issues, '--out', out, '--json']),
      runCli(project, ['publish', '--to', site, '--issues', issues, '--json']),
    ]);
    expect(built.code, built.stderr).toBe(0);
    expect(json(built.stdout)).toEqual({
      outDir: out,
      built: ['2025-01'],
      files: expect.any(Number) as number,
      emails: { rendered: expect.any(Array) as string[], cached: expect.any(Array) as string[] },
      summary: { errors: 0, warnings: expect.any(Number) as number, infos: expect.any(Number) as number },
      messages: expect.any(Array) as unknown[],
      error: null,
    });
    const { files, emails } = json(built.stdout) as {
      files: number;
      emails: { rendered: string[]; cached: string[] };
    };
    expect(files).toBeGreaterThan(3);
    // Rendered now or taken from the build cache (shared by test runs), but there either way.
    expect([...emails.rendered, ...emails.cached]).toEqual(['2025-01']);
    expect(published.code, published.stderr).toBe(0);
    expect(json(published.stdout)).toEqual({
      to: site,
      replaced: true,
      recovered: [],
      changes: {
        added: ['2025-01'],
        updated: [],
        removed: [],
        unchanged: [],
        otherFiles: expect.any(Array) as string[],
      },
      summary: expect.objectContaining({ errors: 0 }) as object,
      messages: expect.any(Array) as unknown[],
      error: null,
    });
  }, 240_000);

  it('subscribers import: the counts and the lines of every row set aside', async () => {
    const project = tempProject();
    const csv = join(project.dir, 'forum.csv');
    writeFileSync(
      csv,
      'email;name\na@example.org;A\nnot-an-address;B\nA@example.org;A igen\nb@example.org;B\n',
    );
    const run = await runCli(project, ['subscribers', 'import', csv, '--list', 'arkiv', '--json']);
    expect(run.code).toBe(1); // one row rejected: ImportFailed, the others imported
    expect(json(run.stdout)).toEqual({
      file: csv,
      list: 'arkiv',
      committed: true,
      added: 2,
      created: 2,
      present: 0,
      suppressed: [],
      duplicates: [{ line: 4, firstLine: 2 }],
      rejected: [{ line: 3, reason: expect.any(String) as string }],
      error: {
        name: 'ImportFailed',
        message: `1 row(s) were rejected; the other rows of ${csv} were imported.`,
        hint: expect.any(String) as string,
      },
    });
    const missing = await runCli(project, [
      'subscribers',
      'import',
      join(project.dir, 'nope.csv'),
      '--list',
      'arkiv',
      '--json',
    ]);
    expect(missing.code).toBe(1);
    expect(json(missing.stdout)).toMatchObject({
      committed: false,
      added: 0,
      error: { name: 'ImportFailed' },
    });
  }, 120_000);
});
