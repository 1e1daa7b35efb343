import { describe, expect, it } from 'vitest';
import { deliveriesPerRecipient } from '../support/resend-stub-process.ts';
import { ledger, SECRET, startCli } from '../send/helpers.ts';
import {
  fakeClock,
  heldResendProject,
  outboxRecipients,
  schedule,
  scheduleProject,
  schedules,
} from './helpers.ts';

/**
 * Scheduled on a fake clock an hour behind, for half an hour ago: due by the real clock the
 * children read.
 */
async function scheduledInThePast(
  project: ReturnType<typeof scheduleProject>,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const clock = fakeClock(new Date(Date.now() - 60 * 60_000).toISOString());
  await schedule(project, `${new Date(Date.now() - 30 * 60_000).toISOString().slice(0, 16)}Z`, clock, {
    env,
  });
}

describe('two processes starting the same due send', () => {
  it('through the outbox: exactly one sends, every recipient once', async () => {
    const project = scheduleProject(120);
    const env = { NYHETSBREV_SECRET: SECRET };
    await scheduledInThePast(project, env);
    const runs = await Promise.all([0, 1].map(() => startCli(project, ['send', '--due'], env).done));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const said = runs.map((run) => run.stdout).sort();
    expect(said[0]).toBe('No scheduled sends are due.\n');
    expect(said[1]).toContain('): complete: 120 sent, 0 failed, 0 skipped of 120 recipients');
    const recipients = outboxRecipients(project);
    expect(recipients).toHaveLength(120);
    expect(new Set(recipients).size).toBe(120);
    expect(ledger(project)).toEqual({ sent: 120 });
    expect(schedules(project)).toMatchObject([{ status: 'sent', attempts: 1 }]);
  }, 180_000);

  it("through the Resend stub, while `send <id>` by hand holds the campaign's send lock: they wait, nobody gets two", async () => {
    // The hand-started send's first request is held at the stub: it is mid-send, holding the lock.
    const { stub, project, env, holding, release } = await heldResendProject(250);
    await scheduledInThePast(project, env);
    const byHand = startCli(project, ['send', '2025-01', '--issues', project.issues, '--yes'], env).done;
    await holding;

    const due = await Promise.all([0, 1].map(() => startCli(project, ['send', '--due'], env).done));
    for (const run of due) expect(run.code, run.stderr).toBe(0);
    const said = due.map((run) => run.stdout).join('');
    expect(said).toMatch(/: another process \(\d+ on .*\) is sending 2025-01; tried again at the next check/);
    expect(said).toContain('2025-01 waits for the next check;');
    expect(schedules(project)).toMatchObject([{ status: 'scheduled' }]);

    release();
    const hand = await byHand;
    expect(hand.code, hand.stderr).toBe(0);
    const after = await startCli(project, ['send', '--due'], env).done;
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain(
      '): already sent (250 sent, 0 failed, 0 skipped of 250 recipients); nothing to do',
    );
    expect(schedules(project)).toMatchObject([{ status: 'sent' }]);

    const counts = deliveriesPerRecipient(stub.emails());
    expect(counts.size).toBe(250);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(ledger(project)).toEqual({ sent: 250 });
  }, 240_000);
});
