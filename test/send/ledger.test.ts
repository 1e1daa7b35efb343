import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { deliveryCounts, findCampaign, freezeCampaign } from '../../src/send/ledger.ts';
import { chunksIn } from '../../src/send/ledger-chunks.ts';
import { acquireSendLock } from '../../src/send/lock.ts';
import { tokenSecret, TOKEN_KEY_META } from '../../src/send/secret.ts';
import {
  OUTBOX_CAPABILITIES,
  RESEND_CAPABILITIES,
  SMTP_CAPABILITIES,
} from '../../src/send/transports/index.ts';
import { isUserError } from '../../src/errors.ts';
import { afterThisTest, frozen, projectStore, SECRET, tempProject } from './helpers.ts';

describe('the campaign ledger', () => {
  it('freezes the audience into one queued row per recipient and one pending chunk per 100', () => {
    const { store, campaign } = frozen(250);
    expect(campaign).toMatchObject({ issueId: '2025-01', status: 'sending', lists: ['arkiv'] });
    expect(campaign.ref).toMatch(/^c1-[0-9a-f]{8}$/);
    expect(deliveryCounts(store, campaign.id)).toMatchObject({ queued: 250, total: 250 });
    const chunks = chunksIn(store, campaign.id, ['pending']);
    expect(chunks.map((c) => c.idempotencyKey)).toEqual(
      [1, 2, 3].map((n) => `nyhetsbrev/${campaign.ref}/${n}`),
    );
    const sizes = store.db.prepare('SELECT chunk, count(*) AS n FROM deliveries GROUP BY chunk').all();
    expect(sizes).toEqual([
      { chunk: 1, n: 100 },
      { chunk: 2, n: 100 },
      { chunk: 3, n: 50 },
    ]);
  });

  it('returns the existing campaign when the issue was frozen before, writing nothing new', () => {
    const { store, input, campaign } = frozen(10);
    const again = freezeCampaign(store, { ...input, recipients: [] });
    expect(again).toEqual(campaign);
    expect(findCampaign(store, '2025-01')).toEqual(campaign);
    expect(deliveryCounts(store, campaign.id).total).toBe(10);
  });
});

describe('the send lock', () => {
  it('refuses a second sender while the first one lives, and takes over from a dead one', async () => {
    const { store, campaign } = frozen(1);
    const sleeper = spawn('sleep', ['30']);
    afterThisTest(() => void sleeper.kill('SIGKILL'));
    const holder = JSON.stringify({
      pid: sleeper.pid,
      host: (await import('node:os')).hostname(),
      at: store.now(),
    });
    store.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(`send_lock/${campaign.id}`, holder);
    let refused: unknown;
    try {
      acquireSendLock(store, campaign);
    } catch (error) {
      refused = error;
    }
    expect(isUserError(refused) && refused.name).toBe('SendRefused');
    expect((refused as Error).message).toContain(
      `Another \`nyhetsbrev send 2025-01\` is running (process ${sleeper.pid}`,
    );

    sleeper.kill('SIGKILL');
    await once(sleeper, 'exit');
    const lock = acquireSendLock(store, campaign);
    lock.release();
    expect(store.db.prepare('SELECT count(*) FROM meta WHERE key LIKE ?').pluck().get('send_lock/%')).toBe(0);
  });
});

describe('the unsubscribe token secret', () => {
  it('uses NYHETSBREV_SECRET when set, and refuses real sends without one', () => {
    const store = projectStore(tempProject());
    expect(tokenSecret(store, RESEND_CAPABILITIES, { NYHETSBREV_SECRET: SECRET })).toBe(SECRET);
    expect(() => tokenSecret(store, SMTP_CAPABILITIES, {})).toThrow(/NYHETSBREV_SECRET is not set/);
    expect(() => tokenSecret(store, OUTBOX_CAPABILITIES, { NYHETSBREV_SECRET: 'short' })).toThrow(
      /5 bytes long/,
    );
  });

  it('lets the outbox fall back to a random per-database key, the same on every run', () => {
    const store = projectStore(tempProject());
    const first = tokenSecret(store, OUTBOX_CAPABILITIES, {});
    expect(Buffer.byteLength(first)).toBeGreaterThanOrEqual(32);
    expect(tokenSecret(store, OUTBOX_CAPABILITIES, {})).toBe(first);
    expect(store.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(TOKEN_KEY_META)).toBe(first);
  });
});
