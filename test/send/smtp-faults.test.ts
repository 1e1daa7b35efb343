import { describe, expect, it, vi } from 'vitest';
import { UNCERTAIN_CHOICE } from '../../src/send/report.ts';
import { startRelay, type RelayFaults } from '../support/smtp-relay.ts';
import { afterThisTest, ledger, seedSubscribers, send, smtpProject } from './helpers.ts';

/** A project sending over SMTP (two connections) to `n` subscribers through a relay with `faults`. */
async function setup(n: number, faults: RelayFaults) {
  const relay = await startRelay(faults);
  afterThisTest(() => relay.close());
  const project = smtpProject(relay.port, 2);
  seedSubscribers(project, n);
  return { relay, project, run: (options: Parameters<typeof send>[1] = {}) => send(project, options) };
}

const address = (n: number) => `person-${String(n).padStart(5, '0')}@example.org`;

/** Drops after the end of the message for 7 and 21, before the RCPT reply for 13; 17 gets a 451 once. */
const faults: RelayFaults = {
  rcpt: (to, attempt) =>
    attempt > 1 ? undefined : to === address(13) ? 'drop' : to === address(17) ? 451 : undefined,
  data: (to, attempt) => (attempt === 1 && (to === address(7) || to === address(21)) ? 'drop' : undefined),
};

describe('sending over an SMTP relay that drops connections', () => {
  it('never resends a message the relay may have taken: its recipient is uncertain, by name', async () => {
    const { relay, project, run } = await setup(30, faults);
    const first = await run();
    expect([...relay.copies().values()].filter((n) => n !== 1)).toEqual([]);
    expect(relay.copies().size).toBe(30);
    expect(ledger(project)).toEqual({ sent: 28, uncertain: 2 });
    expect(first.out).toContain('via smtp: 28 sent, 0 failed, 0 skipped, 2 uncertain of 30 recipients');
    expect(first.out).toContain(
      '2 × the connection to the relay ended after the message was sent, before its reply',
    );
    expect(first.out).toContain(`Uncertain recipients: ${address(7)}, ${address(21)}`);
    expect(first.error?.name).toBe('SendStopped');
    expect(first.error?.message).toContain('2 recipient(s) are uncertain');
    expect(first.error?.hint).toContain(`--uncertain=skip\` (${UNCERTAIN_CHOICE.skip})`);

    // Running again without a decision sends nobody anything.
    const second = await run();
    expect(second.error?.message).toContain('2 recipient(s) are uncertain');
    expect(relay.taken).toHaveLength(30);
  });

  it('--uncertain=skip says it skipped them, and the ledger and summary agree', async () => {
    const { relay, project, run } = await setup(30, faults);
    await run();
    const skipped = await run({ uncertain: 'skip' });
    expect(skipped.error).toBeUndefined();
    expect(skipped.out).toContain(
      '--uncertain=skip: 2 uncertain recipient(s) skipped: they are never sent this issue again and are counted as skipped, outcome unknown.',
    );
    expect(skipped.out).toContain('via smtp: 28 sent, 0 failed, 2 skipped, 0 uncertain of 30 recipients');
    expect(skipped.out).toContain('2 × outcome unknown; not sent again (--uncertain=skip)');
    expect(ledger(project)).toEqual({ sent: 28, skipped: 2 });
    expect(relay.taken).toHaveLength(30);
  });

  it('--uncertain=resend sends them again, as asked', async () => {
    const { relay, project, run } = await setup(30, faults);
    await run();
    const resent = await run({ uncertain: 'resend' });
    expect(resent.error).toBeUndefined();
    expect(resent.out).toContain('--uncertain=resend: 2 uncertain recipient(s) queued to be sent again');
    expect(ledger(project)).toEqual({ sent: 30 });
    expect(relay.copies().get(address(7))).toBe(2);
    expect(relay.copies().get(address(21))).toBe(2);
  });

  it('records each outcome as it comes: while one message waits for its reply, the rest of its chunk is written', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { project, run } = await setup(100, { data: (to) => (to === address(50) ? held : undefined) });
    const sending = run();
    await vi.waitFor(() => expect(ledger(project).sent).toBe(99), { timeout: 60_000, interval: 50 });
    expect(ledger(project)).toEqual({ sent: 99, sending: 1 });
    release();
    expect((await sending).error).toBeUndefined();
    expect(ledger(project)).toEqual({ sent: 100 });
  });

  it('on Ctrl-C lets the messages in flight finish and records them: nobody uncertain, the rest sent on resume', async () => {
    const controller = new AbortController();
    const { relay, project, run } = await setup(100, {
      data: () => {
        if (relay.taken.length === 10) controller.abort(new Error('Interrupted.'));
        return undefined;
      },
    });
    const first = await run({ signal: controller.signal });
    expect(first.error?.message).toContain('The send was interrupted.');
    const after = ledger(project);
    expect(after.sending ?? 0).toBe(0);
    expect(after.uncertain ?? 0).toBe(0);
    expect(after.sent).toBe(relay.taken.length);
    expect((await run()).error).toBeUndefined();
    expect(ledger(project)).toEqual({ sent: 100 });
    expect([...relay.copies().values()].filter((n) => n !== 1)).toEqual([]);
  });
});
