import { describe, expect, it } from 'vitest';
import { audience, audienceCounts, removeSubscriber, type Store } from '../../src/audience/index.ts';
import { freezeCampaign } from '../../src/send/ledger.ts';
import { planSend } from '../../src/send/plan.ts';
import { importCsv, tempStore } from '../audience/helpers.ts';

/** Ten people on two lists (four on both), one unsubscribed, two suppressed by address. */
function seeded(): Store {
  const store = tempStore();
  const arkiv = Array.from({ length: 7 }, (_, i) => `Person${i}@example.org,Person ${i}`);
  const upphandling = Array.from({ length: 7 }, (_, i) => `person${i + 3}@EXAMPLE.org,`);
  importCsv(store, `email,name\n${arkiv.join('\n')}\n`, 'arkiv');
  importCsv(store, `email,name\n${upphandling.join('\n')}\n`, 'upphandling');
  removeSubscriber(store, 'person1@example.org');
  store.suppress('person4@example.org', 'manual');
  store.suppress('person8@example.org', 'bounced');
  return store;
}

type Row = Record<string, unknown>;

function deliveries(store: Store, campaignId: number): Row[] {
  return store.db
    .prepare(
      `SELECT position, subscriber_id, email, name, chunk, status, updated_at FROM deliveries
       WHERE campaign_id = ? ORDER BY position`,
    )
    .all(campaignId) as Row[];
}

describe('freezing the audience inside SQLite', () => {
  it('writes the same rows, positions and chunks as freezing the audience read into objects', () => {
    const lists = ['arkiv', 'upphandling'];
    const fromObjects = seeded();
    const fromSql = seeded();
    const base = { issueId: '2025-01', subject: 'Ämne', lists, contentSha256: 'x', chunkSize: 3 };
    const a = freezeCampaign(fromObjects, { ...base, recipients: audience(fromObjects, lists) });
    const b = freezeCampaign(fromSql, base);
    const rows = deliveries(fromSql, b.id);
    expect(rows).toEqual(deliveries(fromObjects, a.id));
    expect(rows.map((r) => [r.position, r.chunk])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 2],
      [5, 2],
      [6, 2],
      [7, 3],
    ]);
    expect(rows.map((r) => r.email)).not.toContain('person4@example.org');
    const chunks = (s: Store, id: number) =>
      s.db.prepare('SELECT chunk, status FROM chunks WHERE campaign_id = ? ORDER BY chunk').all(id);
    expect(chunks(fromSql, b.id)).toEqual(chunks(fromObjects, a.id));
  });

  it('refuses and undoes a freeze that finds another audience than the one confirmed', () => {
    const store = seeded();
    const lists = ['arkiv', 'upphandling'];
    const base = { issueId: '2025-01', subject: 'Ämne', lists, contentSha256: 'x', chunkSize: 3 };
    const confirmed = audienceCounts(store, lists).recipients;
    // Someone joins while the prompt waits.
    importCsv(store, 'email,name\nny@example.org,Ny\n', 'arkiv');
    let refusal: Error | undefined;
    try {
      freezeCampaign(store, { ...base, confirmed });
    } catch (error) {
      refusal = error as Error;
    }
    expect(refusal?.name).toBe('SendRefused');
    expect(refusal?.message).toContain(
      `${confirmed} recipient(s) were confirmed, the lists now have ${confirmed + 1}`,
    );
    const count = (table: string) =>
      (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect([count('campaigns'), count('deliveries'), count('chunks')]).toEqual([0, 0, 0]);
    // Confirmed again with the new count, it freezes.
    const campaign = freezeCampaign(store, { ...base, confirmed: confirmed + 1 });
    expect(deliveries(store, campaign.id)).toHaveLength(confirmed + 1);
  });

  it('counts the plan per list and the suppressed addresses as the audience read into objects would', () => {
    const store = seeded();
    for (const lists of [['arkiv', 'upphandling'], ['upphandling'], ['nyhetsbrev']]) {
      const common = {
        issue: { id: '2025-01', subject: 'Ämne', status: 'ready' as const },
        email: { html: '<p>x</p>', text: 'x' },
        from: 'Nätverket <nyhetsbrev@natverket.example.org>',
        transport: { name: 'outbox' as const, maxChunkSize: 100 },
        lists,
      };
      const counts = audienceCounts(store, lists);
      const suppressed = lists.includes('nyhetsbrev') ? 0 : 2;
      expect(counts.suppressed).toBe(suppressed);
      expect(planSend({ ...common, recipients: counts, suppressed: counts.suppressed })).toEqual(
        planSend({ ...common, recipients: audience(store, lists), suppressed }),
      );
    }
  });
});
