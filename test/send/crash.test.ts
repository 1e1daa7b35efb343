import { describe, expect, it } from 'vitest';
import { crashRun } from './crash-run.ts';

const RECIPIENTS = 2000;

describe('a send SIGKILLed at random points and resumed', () => {
  it(
    'delivers exactly one email to each of 2,000 recipients after 10+ kills',
    { timeout: 240_000 },
    async () => {
      const report = await crashRun({ recipients: RECIPIENTS, kills: 10, seed: 20261101, stubFlags: [] });
      console.info(
        `crash test: ${report.kills} kills, ${report.runs} runs, ${report.requests} requests ${JSON.stringify(report.statuses)}, ${(report.ms / 1000).toFixed(1)} s`,
      );
      expect(report.kills).toBeGreaterThanOrEqual(10);
      expect(report.last.code, report.last.stderr).toBe(0);
      expect(report.perRecipient.size).toBe(RECIPIENTS);
      expect([...report.perRecipient.values()].filter((n) => n !== 1)).toEqual([]);
      expect(report.ledger).toEqual({ sent: RECIPIENTS });
    },
  );
});
