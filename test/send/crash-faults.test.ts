import { describe, expect, it } from 'vitest';
import { crashRun } from './crash-run.ts';

const RECIPIENTS = 2000;

describe('a send SIGKILLed at random points while the provider misbehaves', () => {
  it(
    'still delivers exactly one email each with 10% 500s, 5% 429s and 2% dropped responses',
    { timeout: 240_000 },
    async () => {
      const report = await crashRun({
        recipients: RECIPIENTS,
        kills: 10,
        seed: 20261102,
        stubFlags: [],
        faults: {
          rates: { error500: 0.1, rateLimit: 0.05, drop: 0.02 },
          // At 2% a run of ~50 requests may see no drop at all; these make sure each fault occurs.
          script: ['none', 'drop', 'none', 'rateLimit', 'none', 'none', 'error500', 'drop'],
        },
      });
      console.info(
        `crash test with faults: ${report.kills} kills, ${report.runs} runs, ${report.requests} requests ${JSON.stringify(report.statuses)}, ${(report.ms / 1000).toFixed(1)} s`,
      );
      expect(report.kills).toBeGreaterThanOrEqual(10);
      expect(report.statuses['500'] ?? 0).toBeGreaterThan(0);
      expect(report.statuses['429'] ?? 0).toBeGreaterThan(0);
      expect(report.statuses['drop'] ?? 0).toBeGreaterThan(0);
      expect(report.last.code, report.last.stderr).toBe(0);
      expect(report.perRecipient.size).toBe(RECIPIENTS);
      expect([...report.perRecipient.values()].filter((n) => n !== 1)).toEqual([]);
      expect(report.ledger).toEqual({ sent: RECIPIENTS });
    },
  );
});
