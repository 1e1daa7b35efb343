import { describe, expect, it } from 'vitest';
import { deliveriesPerRecipient } from '../support/resend-stub-process.ts';
import { startResendStub } from '../support/resend-stub.ts';
import {
  afterThisTest,
  ARCHIVE,
  ledger,
  runCli,
  SECRET,
  seedSubscribers,
  startCli,
  tempProject,
} from './helpers.ts';

describe('Ctrl-C during a send', () => {
  it('stops cleanly, says how to resume, and the next run sends the rest exactly once', async () => {
    // The first run's requests get no answer until it has ended: the interrupt lands while they
    // are in flight.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const stub = await startResendStub({ rateLimit: 1000, hold: () => held });
    afterThisTest(() => stub.close());
    const project = tempProject(['transport:', '  default: resend', '  resend:', `    baseUrl: ${stub.url}`]);
    seedSubscribers(project, 1000);
    const env = { RESEND_API_KEY: 're_test_stub', NYHETSBREV_SECRET: SECRET };
    const args = ['send', '2025-01', '--issues', ARCHIVE, '--yes'];

    const child = startCli(project, args, env);
    while (stub.requests().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGINT');
    const first = await child.done;
    release();
    expect(first.code, first.stderr).toBe(1);
    expect(first.stderr).toContain('SendStopped: The send was interrupted.');
    expect(first.stderr).toContain(
      'hint: Run `nyhetsbrev send 2025-01` again to resume; those already sent are skipped.',
    );
    expect(first.stderr).toMatch(/\d+ of 1000 recipients were sent/);
    expect(ledger(project).sending).toBeGreaterThan(0);

    const second = await runCli(project, args, env);
    expect(second.code, second.stderr).toBe(0);
    expect(ledger(project)).toEqual({ sent: 1000 });
    const counts = deliveriesPerRecipient(stub.emails());
    expect(counts.size).toBe(1000);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });
});
