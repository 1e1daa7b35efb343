import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/audience/index.ts';
import { runCli, SECRET, startCli } from '../send/helpers.ts';
import { fakeClock, outboxFiles, schedule, scheduleProject, schedules } from './helpers.ts';

const ENV = { NYHETSBREV_SECRET: SECRET };

describe('scheduled sends, as an operator runs them', () => {
  it('schedules, lists, cancels, schedules again and runs the due send with send --due', async () => {
    const project = scheduleProject(4);
    const cli = (...args: string[]) => runCli(project, args, ENV);
    const issues = ['--issues', project.issues];

    const scheduled = await cli('send', '2025-01', ...issues, '--at', '2099-12-10 08:00', '--yes');
    expect(scheduled.code, scheduled.stderr).toBe(0);
    expect(scheduled.stdout).toContain('Plan for 2025-01: "Januarinumret – kort och klart"');
    expect(scheduled.stdout).toContain(
      'Scheduled 2025-01 "Januarinumret – kort och klart" for 2099-12-10 08:00 Europe/Stockholm (07:00 UTC).',
    );
    expect(outboxFiles(project)).toEqual([]);

    const listed = await cli('send', '--scheduled');
    expect(listed.stdout).toBe(
      [
        '2025-01  scheduled  2099-12-10 08:00 Europe/Stockholm (07:00 UTC)  lists: all, transport: default',
        '1 schedule(s), 1 waiting. Times are shown in the zone they were given in.',
        '',
      ].join('\n'),
    );

    const cancelled = await cli('send', '2025-01', '--cancel');
    expect(cancelled.stdout).toBe(
      'Cancelled the scheduled send of 2025-01 (due 2099-12-10 08:00 Europe/Stockholm (07:00 UTC)). Nothing was sent.\n',
    );

    const again = await cli(
      'send',
      '2025-01',
      ...issues,
      '--at',
      '2099-12-11T07:00Z',
      '--yes',
      '--list',
      'arkiv',
      '--json',
    );
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      issueId: '2025-01',
      dueAt: '2099-12-11T07:00:00.000Z',
      zone: 'Europe/Stockholm',
      scheduled: {
        dueAt: '2099-12-11T07:00:00.000Z',
        zone: 'Europe/Stockholm',
        status: 'scheduled',
        attempts: 0,
        outcome: null,
      },
      replaced: null,
      plan: expect.objectContaining({ issueId: '2025-01', recipients: 4 }) as object,
    });
    // Time passes: the schedule is due now.
    const store = openStore(project.database, { env: {} });
    store.db
      .prepare(`UPDATE schedules SET due_at = '2020-01-01T07:00:00.000Z' WHERE status = 'scheduled'`)
      .run();
    store.close();
    const due = await cli('send', '--due');
    expect(due.code, due.stderr).toBe(0);
    expect(due.stdout).toContain(
      'scheduled send of 2025-01 (due 2020-01-01 08:00 Europe/Stockholm (07:00 UTC)): complete: 4 sent, 0 failed, 0 skipped of 4 recipients',
    );
    expect(outboxFiles(project)).toHaveLength(4);
    expect(schedules(project).map((s) => [s.status, s.lists])).toEqual([
      ['sent', ['arkiv']], // by due time
      ['cancelled', null],
    ]);

    const [nothing, nothingJson, json, report] = await Promise.all([
      cli('send', '--due'),
      cli('send', '--due', '--json'),
      cli('send', '--scheduled', '--json'),
      cli('report', '2025-01'),
    ]);
    expect(nothing.stdout).toBe('No scheduled sends are due.\n');
    expect(JSON.parse(nothingJson.stdout)).toEqual([]);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        issueId: '2025-01',
        dueAt: '2020-01-01T07:00:00.000Z',
        zone: 'Europe/Stockholm',
        lists: ['arkiv'],
        transport: null,
        issuesDir: 'issues',
        status: 'sent',
        attempts: 1,
        createdAt: expect.any(String) as string,
        startedAt: expect.any(String) as string,
        finishedAt: expect.any(String) as string,
        outcome: 'complete: 4 sent, 0 failed, 0 skipped of 4 recipients',
      },
      expect.objectContaining({
        status: 'cancelled',
        dueAt: '2099-12-10T07:00:00.000Z',
        outcome: 'by `nyhetsbrev send 2025-01 --cancel`',
      }),
    ]);
    expect(report.stdout).toContain('  recipients  4 frozen: 4 sent, 0 failed, 0 uncertain, 0 skipped');
    expect(report.stdout).toContain(
      '  scheduled   due 2020-01-01 08:00 Europe/Stockholm (07:00 UTC): sent — complete: 4 sent',
    );
    expect(report.stdout).toContain(
      'Opens and clicks are not measured, by design: the emails carry no tracking pixels and no click redirects.',
    );
  }, 240_000);

  it('refuses a time in the spring gap, a time past, a missing id and an unknown schedule: exit 1, a hint, nothing recorded', async () => {
    const project = scheduleProject(2);
    const cases = [
      {
        args: ['send', '2025-01', '--at', '2026-03-29 02:30', '--yes'],
        says: 'ScheduleInvalid: 2026-03-29 02:30 does not exist in Europe/Stockholm: the clocks go forward over that hour that night.',
      },
      {
        args: ['send', '2025-01', '--at', '2020-01-01 08:00', '--yes'],
        says: 'ScheduleInvalid: 2020-01-01 08:00 Europe/Stockholm (07:00 UTC) is not in the future',
      },
      { args: ['send', '--at', '2099-01-01 08:00'], says: 'UsageError: --at needs the issue id' },
      {
        args: ['send', '2025-01', '--cancel'],
        says: 'ScheduleRefused: 2025-01 has no scheduled send to cancel. Nothing changed.',
      },
      { args: ['send', '2025-01', '--due'], says: 'UsageError: --due takes no issue id' },
    ];
    const runs = await Promise.all(cases.map((c) => runCli(project, c.args, ENV)));
    runs.forEach((run, i) => {
      expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 1 });
      expect(run.stderr).toContain(cases[i]!.says);
      expect(run.stderr).toContain('hint: ');
    });
    expect(schedules(project)).toEqual([]);
  }, 180_000);

  it('serve, run as a service, starts a send that is due by itself (in its worker thread) and logs no address', async () => {
    const project = scheduleProject(3);
    // Scheduled on a fake clock an hour behind, for half an hour ago: due when serve starts.
    const clock = fakeClock(new Date(Date.now() - 60 * 60_000).toISOString());
    await schedule(project, `${new Date(Date.now() - 30 * 60_000).toISOString().slice(0, 16)}Z`, clock);
    const serve = startCli(project, ['serve', '--port', '0'], ENV);
    try {
      await expect
        .poll(() => schedules(project)[0]?.status, { timeout: 120_000, interval: 250 })
        .toBe('sent');
    } finally {
      serve.kill('SIGTERM');
    }
    const run = await serve.done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('  scheduled sends: started here when due (checked every minute)');
    expect(run.stdout).toMatch(
      /scheduled send of 2025-01 \(due .*\): complete: 3 sent, 0 failed, 0 skipped of 3 recipients/,
    );
    expect(run.stdout + run.stderr).not.toContain('@example.org');
    expect(outboxFiles(project)).toHaveLength(3);
  }, 180_000);
});
