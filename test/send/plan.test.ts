import { describe, expect, it } from 'vitest';
import { chunkSizes, formatPlan, planSend, type PlanInput } from '../../src/send/plan.ts';

const person = (lists: string[]) => ({ lists });

/** A plan input as `send` gathers it: 250 recipients on two forums, one of them on both. */
function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    issue: { id: '2026-11', subject: 'Ett år av samarbete – och planerna för 2027', status: 'ready' },
    email: { html: `<html lang="sv">${'å'.repeat(1000)}</html>`, text: 'Hej!\n' },
    from: 'Myndighetsnätverket <nyhetsbrev@natverket.example.org>',
    transport: { name: 'resend', maxChunkSize: 100 },
    lists: ['arkiv', 'upphandling'],
    recipients: [
      ...Array.from({ length: 149 }, () => person(['arkiv'])),
      person(['arkiv', 'upphandling']),
      ...Array.from({ length: 100 }, () => person(['upphandling'])),
    ],
    suppressed: 3,
    ...overrides,
  };
}

describe('planSend', () => {
  it('splits 250 recipients into chunks of 100, 100, 50', () => {
    expect(planSend(input()).chunks).toEqual([100, 100, 50]);
    expect(chunkSizes(0, 100)).toEqual([]);
    expect(chunkSizes(100, 100)).toEqual([100]);
    expect(chunkSizes(101, 100)).toEqual([100, 1]);
  });

  it('counts recipients per list after suppressions; one person on two lists counts in both', () => {
    const plan = planSend(input());
    expect(plan.recipients).toBe(250);
    expect(plan.perList).toEqual([
      { list: 'arkiv', recipients: 150 },
      { list: 'upphandling', recipients: 101 },
    ]);
    expect(plan.suppressed).toBe(3);
  });

  it('measures the email in bytes, not characters', () => {
    expect(planSend(input()).sizes).toEqual({
      htmlBytes: 2000 + '<html lang="sv"></html>'.length,
      textBytes: 5,
    });
  });

  it('is pure: the same input gives the same plan', () => {
    expect(planSend(input())).toEqual(planSend(input()));
  });

  it('plans a new send (snapshot)', () => {
    const plan = planSend(input());
    expect(plan).toMatchSnapshot();
    expect(formatPlan(plan)).toMatchSnapshot();
  });

  it('plans a resumed send from the frozen rows and their statuses (snapshot)', () => {
    const statuses = ['sent', 'sent', 'failed', 'skipped', 'sending', 'queued', 'queued'] as const;
    const plan = planSend(
      input({
        transport: { name: 'outbox', maxChunkSize: 100 },
        recipients: statuses.map((status) => ({ lists: ['arkiv'], status })),
        suppressed: 0,
        campaign: { ref: 'c3-0a1b2c3d', frozenAt: '2026-11-26T08:00:00.000Z' },
      }),
    );
    expect(plan.resume).toEqual({
      campaign: 'c3-0a1b2c3d',
      frozenAt: '2026-11-26T08:00:00.000Z',
      counts: { sent: 2, failed: 1, skipped: 1, uncertain: 0, sending: 1, queued: 2 },
      toSend: 3,
    });
    expect(formatPlan(plan)).toMatchSnapshot();
  });
});
