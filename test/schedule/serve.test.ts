import { describe, expect, it } from 'vitest';
import { runDueSends } from '../../src/schedule/due.ts';
import { startDueSends } from '../../src/schedule/ticker.ts';
import { startServer } from '../../src/serve/index.ts';
import { deliveriesPerRecipient } from '../support/resend-stub-process.ts';
import { afterThisTest, ledger, SECRET } from '../send/helpers.ts';
import {
  fakeClock,
  heldResendProject,
  outboxFiles,
  schedule,
  scheduleProject,
  schedules,
} from './helpers.ts';

const T0 = '2030-01-01T07:00:00.000Z';
const DUE = '2030-01-01 09:00'; // 08:00 UTC

describe('serve starts scheduled sends', () => {
  it('checks on its clock: nothing before the time, the send once it is due, and logs no address', async () => {
    const project = scheduleProject(3);
    const clock = fakeClock(T0);
    await schedule(project, DUE, clock);
    const log: string[] = [];
    const server = await startServer(project.config(), {
      port: 0,
      env: { NYHETSBREV_SECRET: SECRET },
      clock,
      log: (line) => log.push(line),
    });
    afterThisTest(() => server.close());
    expect(await server.dueSends!.tick()).toEqual([]);
    expect(outboxFiles(project)).toEqual([]);

    clock.set('2030-01-01T08:00:30.000Z');
    const runs = await server.dueSends!.tick();
    expect(runs.map((r) => r.result)).toEqual(['sent']);
    expect(outboxFiles(project)).toHaveLength(3);
    expect(log.filter((line) => line.startsWith('scheduled send'))).toEqual([
      'scheduled send of 2025-01 (due 2030-01-01 09:00 Europe/Stockholm (08:00 UTC)): starting',
      'scheduled send of 2025-01 (due 2030-01-01 09:00 Europe/Stockholm (08:00 UTC)): complete: 3 sent, 0 failed, 0 skipped of 3 recipients',
    ]);
    expect(log.join('\n')).not.toContain('@');
  }, 60_000);

  it('runs the check on its timer by itself', async () => {
    const project = scheduleProject(2);
    const clock = fakeClock(T0);
    await schedule(project, DUE, clock);
    const log: string[] = [];
    const due = startDueSends(project.config(), {
      clock,
      env: { NYHETSBREV_SECRET: SECRET },
      log: (line) => log.push(line),
      intervalMs: 25,
    });
    afterThisTest(() => due.stop());
    clock.set('2030-01-01T08:00:00.000Z');
    // No tick by hand: the timer finds it.
    await expect.poll(() => schedules(project)[0]?.status, { timeout: 30_000, interval: 50 }).toBe('sent');
    expect(outboxFiles(project)).toHaveLength(2);
  }, 60_000);

  it('stops a running send cleanly on shutdown; the next check resumes it and nobody gets two', async () => {
    const { stub, project, env, holding, release } = await heldResendProject(500, 2);
    const clock = fakeClock(T0);
    await schedule(project, DUE, clock, { env });
    clock.set('2030-01-01T08:00:00.000Z');
    const log: string[] = [];
    const server = await startServer(project.config(), {
      port: 0,
      env,
      clock,
      log: (line) => log.push(line),
    });
    await holding; // the check at start found it due, and the send is under way
    const closed = server.close();
    release();
    await closed;
    expect(schedules(project)).toMatchObject([{ status: 'scheduled', attempts: 1 }]);
    expect(schedules(project)[0]?.outcome).toMatch(
      /^interrupted; tried again at the next check \(SendStopped/,
    );
    const partial = ledger(project);
    expect(partial.sent).toBeGreaterThan(0);
    expect(partial.queued).toBeGreaterThan(0);

    const runs = await runDueSends(project.config(), { clock, env, log: () => undefined });
    expect(runs.map((r) => [r.result, r.message])).toEqual([
      ['sent', 'complete: 500 sent, 0 failed, 0 skipped of 500 recipients'],
    ]);
    const counts = deliveriesPerRecipient(stub.emails());
    expect(counts.size).toBe(500);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(log.join('\n')).not.toContain('@');
  }, 120_000);
});
