import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/audience/index.ts';
import { isUserError } from '../../src/errors.ts';
import { issueReport } from '../../src/report/issue-report.ts';
import { redact, runDueSends } from '../../src/schedule/due.ts';
import { formatSchedules } from '../../src/schedule/format.ts';
import { cancelSchedule } from '../../src/schedule/schedule.ts';
import { ledger, SECRET } from '../send/helpers.ts';
import {
  fakeClock,
  outboxFiles,
  outboxRecipients,
  schedule,
  scheduleProject,
  schedules,
  setIssueStatus,
  type FakeClock,
} from './helpers.ts';

const ENV = { NYHETSBREV_SECRET: SECRET };
// The fake clock: scheduled on New Year's Day 2030 at 08:00 Stockholm time (07:00 UTC) for 09:00.
const T0 = '2030-01-01T07:00:00.000Z';
const DUE = '2030-01-01 09:00';

function due(project: ReturnType<typeof scheduleProject>, clock: FakeClock, log: string[] = []) {
  return runDueSends(project.config(), { clock, env: ENV, log: (line) => log.push(line) });
}

async function userError(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isUserError(error)) throw error instanceof Error ? error : new Error('expected a user error');
  return error;
}

describe('scheduled sends on a fake clock', () => {
  it('starts nothing before the send is due, then sends it once, to every recipient once', async () => {
    const project = scheduleProject(5);
    const clock = fakeClock(T0);
    const { out } = await schedule(project, DUE, clock);
    expect(out).toContain(
      'Scheduled 2025-01 "Januarinumret – kort och klart" for 2030-01-01 09:00 Europe/Stockholm (08:00 UTC).',
    );
    expect(schedules(project)).toMatchObject([{ status: 'scheduled', dueAt: '2030-01-01T08:00:00.000Z' }]);
    expect(ledger(project)).toEqual({}); // preflight only: nobody frozen, nothing sent

    clock.set('2030-01-01T07:59:59.999Z');
    expect(await due(project, clock)).toEqual([]);
    expect(outboxFiles(project)).toEqual([]);

    clock.set('2030-01-01T08:00:00.000Z');
    const log: string[] = [];
    const runs = await due(project, clock, log);
    expect(runs.map((r) => [r.result, r.message])).toEqual([
      ['sent', 'complete: 5 sent, 0 failed, 0 skipped of 5 recipients'],
    ]);
    expect(log).toEqual([
      'scheduled send of 2025-01 (due 2030-01-01 09:00 Europe/Stockholm (08:00 UTC)): starting',
      'scheduled send of 2025-01 (due 2030-01-01 09:00 Europe/Stockholm (08:00 UTC)): complete: 5 sent, 0 failed, 0 skipped of 5 recipients',
    ]);
    expect(outboxRecipients(project).sort()).toEqual(
      [0, 1, 2, 3, 4].map((i) => `person-0000${i}@example.org`),
    );
    expect(schedules(project)).toMatchObject([{ status: 'sent', attempts: 1 }]);

    clock.set('2030-01-02T08:00:00.000Z');
    expect(await due(project, clock)).toEqual([]);
    expect(outboxFiles(project)).toHaveLength(5);
  });

  it('runs preflight again at send time: an issue turned back into a draft fails, visibly, and nothing is sent', async () => {
    const project = scheduleProject(3);
    const clock = fakeClock(T0);
    await schedule(project, DUE, clock);
    setIssueStatus(project, '2025-01', 'draft');
    clock.set('2030-01-01T08:01:00.000Z');
    const log: string[] = [];
    const [run] = await due(project, clock, log);
    expect(run?.result).toBe('failed');
    expect(run?.message).toMatch(/^SendRefused: 2025-01 is a draft \(status: draft in its issue\.md\)/);
    expect(log[1]).toContain('): FAILED: SendRefused: 2025-01 is a draft');
    expect(outboxFiles(project)).toEqual([]);
    expect(ledger(project)).toEqual({});

    const listed = formatSchedules(schedules(project), clock());
    expect(listed).toMatch(/^2025-01 {2}failed {5}2030-01-01 09:00 Europe\/Stockholm \(08:00 UTC\)/);
    expect(listed).toContain('\n         SendRefused: 2025-01 is a draft');
    const store = openStore(project.database, { env: {} });
    const report = issueReport(store, '2025-01');
    store.close();
    expect(report.campaign).toBeNull();
    expect(report.schedule).toMatchObject({ status: 'failed', attempts: 1 });
    expect(report.schedule?.outcome).toContain('SendRefused: 2025-01 is a draft');

    // A failed schedule is not tried again by itself.
    setIssueStatus(project, '2025-01', 'ready');
    clock.set('2030-01-01T09:00:00.000Z');
    expect(await due(project, clock)).toEqual([]);
  });

  it('refuses to schedule what preflight refuses now, and records nothing', async () => {
    const project = scheduleProject(3);
    const clock = fakeClock(T0);
    const draft = await userError(schedule(project, DUE, clock, { issueId: '2025-02' }));
    expect(draft.name).toBe('SendRefused');
    expect(draft.message).toContain('2025-02 is a draft');
    const past = await userError(schedule(project, '2030-01-01 07:59', clock));
    expect(past.name).toBe('ScheduleInvalid');
    const unconfirmed = await userError(schedule(project, DUE, clock, { yes: false }));
    expect(unconfirmed.message).toBe(
      'Refusing to schedule a send to 3 recipient(s) without confirmation: not running on a terminal. Nothing was scheduled.',
    );
    expect(schedules(project)).toEqual([]);
  });

  it('cancels a waiting send, which then never starts; a second cancel is refused', async () => {
    const project = scheduleProject(3);
    const clock = fakeClock(T0);
    await schedule(project, DUE, clock);
    const cancelled = cancelSchedule(project.config(), '2025-01', ENV);
    expect(cancelled.status).toBe('cancelled');
    clock.set('2030-01-01T09:00:00.000Z');
    expect(await due(project, clock)).toEqual([]);
    expect(outboxFiles(project)).toEqual([]);
    let again: unknown;
    try {
      cancelSchedule(project.config(), '2025-01', ENV);
    } catch (error) {
      again = error;
    }
    expect(again).toMatchObject({
      name: 'ScheduleRefused',
      message:
        '2025-01 has no scheduled send to cancel (its latest was cancelled, due 2030-01-01 09:00 Europe/Stockholm (08:00 UTC)). Nothing changed.',
    });
  });

  it('replaces a waiting schedule when the issue is scheduled again; only the new one runs', async () => {
    const project = scheduleProject(2);
    const clock = fakeClock(T0);
    await schedule(project, DUE, clock);
    const { out } = await schedule(project, '2030-01-01 10:00', clock);
    expect(out).toContain('It replaces the one due 2030-01-01 09:00 Europe/Stockholm (08:00 UTC).');
    clock.set('2030-01-01T08:30:00.000Z');
    expect(await due(project, clock)).toEqual([]);
    clock.set('2030-01-01T09:00:00.000Z');
    expect((await due(project, clock)).map((r) => r.result)).toEqual(['sent']);
    expect(schedules(project).map((s) => s.status)).toEqual(['cancelled', 'sent']);
    expect(outboxFiles(project)).toHaveLength(2);
  });

  it('takes over a running send whose process is gone, never one whose process lives', async () => {
    const project = scheduleProject(2);
    const clock = fakeClock(T0);
    await schedule(project, DUE, clock);
    const claim = (pid: number) => {
      const store = openStore(project.database, { env: {} });
      store.db
        .prepare(`UPDATE schedules SET status = 'running', holder = ?, attempts = 1`)
        .run(JSON.stringify({ pid, host: hostname(), at: '2030-01-01T08:00:00.000Z' }));
      store.close();
    };
    clock.set('2030-01-01T08:01:00.000Z');
    claim(process.ppid); // alive: the process that started this test runner
    expect(await due(project, clock)).toEqual([]);
    expect(schedules(project)[0]?.status).toBe('running');

    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    claim(gone);
    const runs = await due(project, clock);
    expect(runs.map((r) => r.result)).toEqual(['sent']);
    expect(schedules(project)).toMatchObject([{ status: 'sent', attempts: 2 }]);
    expect(outboxFiles(project)).toHaveLength(2);
  });

  it("waits, instead of failing, while another process holds the campaign's send lock", async () => {
    const project = scheduleProject(2);
    const clock = fakeClock(T0);
    await schedule(project, DUE, clock);
    // Another live process is sending campaign 1 (the first this database will have).
    const holder = { pid: process.ppid, host: hostname(), at: new Date().toISOString() };
    const store = openStore(project.database, { env: {} });
    store.db
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?)')
      .run('send_lock/1', JSON.stringify(holder));
    clock.set('2030-01-01T08:00:00.000Z');
    const [run] = await due(project, clock);
    expect(run?.result).toBe('waiting');
    expect(run?.message).toMatch(
      new RegExp(
        `^another process \\(${holder.pid} on .*\\) is sending 2025-01; tried again at the next check`,
      ),
    );
    expect(schedules(project)[0]?.status).toBe('scheduled');
    expect(outboxFiles(project)).toEqual([]);

    store.db.prepare('DELETE FROM meta WHERE key = ?').run('send_lock/1');
    store.close();
    expect((await due(project, clock)).map((r) => r.result)).toEqual(['sent']);
    expect(outboxFiles(project)).toHaveLength(2);
  });

  it('keeps addresses out of what it stores and logs', () => {
    expect(redact('550 5.1.1 <person-00001@example.org>: no such user; also a.b+c@sub.example.com.')).toBe(
      '550 5.1.1 <[address]>: no such user; also [address].',
    );
  });
});
