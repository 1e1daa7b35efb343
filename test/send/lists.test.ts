import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ledger, projectStore, SECRET, seedSubscribers, send, tempProject } from './helpers.ts';

function forums() {
  const project = tempProject();
  seedSubscribers(project, 3, 'arkiv', 'arkivarie');
  seedSubscribers(project, 2, 'upphandling', 'upphandlare');
  // One person in both forums gets one email, not two.
  seedSubscribers(project, 1, 'upphandling', 'arkivarie');
  return project;
}

describe('choosing lists', () => {
  it('sends to the members of the chosen lists only, and counts each list in the plan', async () => {
    const project = forums();
    const plan = await send(project, { lists: ['upphandling'], dryRun: true });
    expect(plan.out).toMatch(/recipients +3\n/);
    expect(plan.out).toMatch(/upphandling +3\n/);
    const run = await send(project, { lists: ['upphandling'] });
    expect(run.error).toBeUndefined();
    const recipients = readdirSync(project.outbox).map(
      (f) => /^To: (.+)\r$/m.exec(readFileSync(join(project.outbox, f), 'latin1'))?.[1],
    );
    expect(recipients.sort()).toEqual([
      'arkivarie-00000@example.org',
      'upphandlare-00000@example.org',
      'upphandlare-00001@example.org',
    ]);
  });

  it('sends one email to a person on several lists, and leaves suppressed addresses out of the plan and the send', async () => {
    const project = forums();
    // Hashed with the key the send uses (NYHETSBREV_SECRET), as `subscribers remove` would.
    projectStore(project, { NYHETSBREV_SECRET: SECRET }).suppress('arkivarie-00002@example.org', 'manual');
    const plan = await send(project, { dryRun: true });
    expect(plan.out).toContain('recipients  4 (1 suppressed address left out)');
    expect(plan.out).toMatch(/arkiv +2\n/);
    await send(project);
    expect(ledger(project)).toEqual({ sent: 4 });
  });

  it('refuses to resume a started send with other lists than it was frozen with', async () => {
    const project = forums();
    await send(project, { lists: ['arkiv'] });
    projectStore(project).db.prepare(`UPDATE deliveries SET status = 'queued' WHERE position = 1`).run();
    projectStore(project).db.prepare(`UPDATE campaigns SET status = 'stopped'`).run();
    const run = await send(project, { lists: ['upphandling'] });
    expect(run.error?.name).toBe('SendRefused');
    expect(run.error?.message).toContain('was started for the lists arkiv, not upphandling');
    expect(run.error?.hint).toContain('Run `nyhetsbrev send 2025-01` without --list');
  });
});
