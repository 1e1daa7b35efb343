import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/audience/index.ts';
import { seededRandom } from '../support/resend-stub-rules.ts';
import { startRelay, type RelayFaults } from '../support/smtp-relay.ts';
import {
  afterThisTest,
  ARCHIVE,
  SECRET,
  seedSubscribers,
  startCli,
  smtpProject,
  type CliRun,
  type Project,
} from './helpers.ts';

const RECIPIENTS = 300;
const KILLS = 4;
const MAX_CONNECTIONS = 3;

/** About 4 % of addresses each: the relay drops after the end of their message, or before the RCPT reply. */
function share(to: string, salt: string): boolean {
  return (
    createHash('sha256')
      .update(salt + to)
      .digest()[0]! < 10
  );
}
const faults = {
  rcpt: (to: string, attempt: number) => (attempt === 1 && share(to, 'rcpt') ? 'drop' : undefined),
  data: (to: string, attempt: number) => (attempt === 1 && share(to, 'data') ? 'drop' : undefined),
} satisfies RelayFaults;

/** Each recipient's row: status and reason. */
function rows(project: Project): Map<string, { status: string; error: string | null }> {
  const store = openStore(project.database, { env: {} });
  try {
    const all = store.db
      .prepare<[], { email: string; status: string; error: string | null }>(
        'SELECT email, status, error FROM deliveries ORDER BY position',
      )
      .all();
    return new Map(all.map((r) => [r.email, { status: r.status, error: r.error }]));
  } finally {
    store.close();
  }
}

const countOf = (map: Map<string, { status: string }>, status: string) =>
  [...map.values()].filter((r) => r.status === status).length;

describe('an SMTP send SIGKILLed at random points against a relay that drops connections', () => {
  it(
    'sends nobody two copies, loses nobody silently, and leaves at most maxConnections in doubt per kill',
    { timeout: 240_000 },
    async () => {
      const random = seededRandom(20261114);
      let kill: (() => void) | undefined;
      let killAt = Infinity;
      const relay = await startRelay({
        rcpt: faults.rcpt,
        data: (to, attempt) => {
          // Killed while the relay holds a message it has taken, before its reply reaches the sender.
          if (relay.taken.length >= killAt) kill?.();
          return faults.data(to, attempt);
        },
      });
      afterThisTest(() => relay.close());
      const project = smtpProject(relay.port, MAX_CONNECTIONS);
      seedSubscribers(project, RECIPIENTS);
      const env = { NYHETSBREV_SECRET: SECRET };
      const args = ['send', '2025-01', '--issues', ARCHIVE, '--yes'];

      const inDoubtPerKill: number[] = [];
      let last: CliRun | undefined;
      for (let runs = 0; runs < KILLS * 3 && inDoubtPerKill.length < KILLS; runs++) {
        const child = startCli(project, args, env);
        killAt = relay.taken.length + 5 + Math.floor(random() * 50);
        kill = () => {
          killAt = Infinity;
          child.kill('SIGKILL');
        };
        last = await child.done;
        kill = undefined;
        if (last.signal !== 'SIGKILL') continue;
        // What the next run will have to report as uncertain: the rows left in flight.
        inDoubtPerKill.push(countOf(rows(project), 'sending'));
      }
      // The run after the last kill recovers and finishes; uncertain rows stop it with exit 1.
      killAt = Infinity;
      last = await startCli(project, args, env).done;
      const before = rows(project);
      const copies = relay.copies();

      expect(inDoubtPerKill).toHaveLength(KILLS);
      expect(Math.max(...inDoubtPerKill)).toBeLessThanOrEqual(MAX_CONNECTIONS);
      expect(last.code, last.stderr).toBe(1);
      expect(last.stderr).toContain('recipient(s) are uncertain');
      expect(countOf(before, 'queued') + countOf(before, 'sending')).toBe(0);
      // Zero silent duplicates, zero silent losses.
      expect([...copies.entries()].filter(([, n]) => n > 1)).toEqual([]);
      const silent = [...before].filter(
        ([email, row]) => (row.status === 'sent') !== (copies.get(email) === 1),
      );
      expect(silent.filter(([, row]) => row.status !== 'uncertain')).toEqual([]);
      // Every message the relay took without answering is uncertain, never counted as sent.
      const dropped = relay.taken.filter((m) => !m.replied).map((m) => m.to);
      expect(dropped.length).toBeGreaterThan(0);
      expect(dropped.map((to) => before.get(to)?.status)).toEqual(dropped.map(() => 'uncertain'));
      // A connection dropped before the RCPT reply is retried: sent, unless a kill caught it in flight.
      const dropsAtRcpt = [...before].filter(([to]) => share(to, 'rcpt') && !share(to, 'data'));
      expect(dropsAtRcpt.length).toBeGreaterThan(0);
      expect(
        dropsAtRcpt.filter(([, row]) => row.status !== 'sent' && !row.error?.includes('when the send ended')),
      ).toEqual([]);
      const uncertain = countOf(before, 'uncertain');
      expect(uncertain).toBeLessThanOrEqual(dropped.length + KILLS * MAX_CONNECTIONS);

      const skipped = await startCli(project, [...args, '--uncertain=skip'], env).done;
      expect(skipped.code, skipped.stderr).toBe(0);
      expect(skipped.stdout).toContain(`--uncertain=skip: ${uncertain} uncertain recipient(s) skipped`);
      const after = rows(project);
      expect(countOf(after, 'sent') + countOf(after, 'skipped')).toBe(RECIPIENTS);
      expect([...relay.copies().values()].filter((n) => n > 1)).toEqual([]);
      console.info(
        `smtp crash test: ${KILLS} kills, in flight at each ${JSON.stringify(inDoubtPerKill)}, ${dropped.length} dropped after DATA, ${uncertain} uncertain of ${RECIPIENTS}`,
      );
    },
  );
});
