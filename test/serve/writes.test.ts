import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/audience/store.ts';
import { createUnsubscribeJournal } from '../../src/serve/journal.ts';
import { createWriteGate, StoreBusy } from '../../src/serve/writes.ts';
import { holdWriteLock, lockWaitClock } from './helpers.ts';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nyhetsbrev-writes-'));
  store = openStore(join(dir, 'db.sqlite'), { env: { NYHETSBREV_SECRET: 'x'.repeat(32) } });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const setting = (key: string) =>
  store.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value;
const put = (key: string, value: string) => () =>
  store.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);

describe('the write gate', () => {
  it('gives up with StoreBusy after its budget on the injected clock, having written nothing', async () => {
    const clock = lockWaitClock();
    const gate = createWriteGate(store, { ...clock, budgetMs: 700 });
    const lock = holdWriteLock(store.path);
    try {
      await expect(gate.run(put('t', 'x'))).rejects.toBeInstanceOf(StoreBusy);
      expect(clock.ms).toBeGreaterThanOrEqual(700);
      expect(clock.ms).toBeLessThan(800);
    } finally {
      lock.release();
    }
    expect(setting('t')).toBeUndefined();
  });

  it('runs waiting writes first come first served once the lock is free, with one poller however many wait', async () => {
    const clock = lockWaitClock();
    clock.frozen = true;
    let sleeping = 0;
    let most = 0;
    const gate = createWriteGate(store, {
      now: clock.now,
      sleep: async (ms) => {
        most = Math.max(most, ++sleeping);
        await clock.sleep(ms);
        sleeping--;
      },
    });
    const lock = holdWriteLock(store.path);
    const order: number[] = [];
    const writes = Array.from({ length: 20 }, (_, i) =>
      gate.run(() => {
        order.push(i);
        put('last', String(i))();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    lock.release();
    await Promise.all(writes);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(setting('last')).toBe('19');
    expect(most).toBe(1);
  });

  it('rolls back and passes on a failure inside the transaction, without retrying it', async () => {
    const gate = createWriteGate(store, lockWaitClock());
    let calls = 0;
    const failing = () => {
      calls++;
      put('half', 'written')();
      throw new Error('refused');
    };
    await expect(gate.run(failing)).rejects.toThrow('refused');
    expect(calls).toBe(1);
    expect(setting('half')).toBeUndefined();
  });
});

describe('the unsubscribe journal', () => {
  it('applies every recorded token once and keeps a line torn by a crash from spoiling the next one', async () => {
    const applied: string[] = [];
    const journal = createUnsubscribeJournal(store.path, createWriteGate(store), (token) =>
      applied.push(token),
    );
    await journal.record('first.token');
    appendFileSync(journal.path, 'torn-by-a-cr');
    await journal.record('second.token');
    expect(readFileSync(journal.path, 'utf8')).toContain('\nsecond.token\n');
    expect(await journal.drain()).toBe(3);
    expect(applied).toEqual(['first.token', 'torn-by-a-cr', 'second.token']);
    expect(journal.pending).toBe(false);
    expect(await journal.drain()).toBe(0);
  });

  it('writes a repeated token once, whether it arrives together with others or again later', async () => {
    const journal = createUnsubscribeJournal(store.path, createWriteGate(store), () => {});
    await Promise.all(['a.1', 'b.2', 'a.1', 'c.3', 'b.2'].map((token) => journal.record(token)));
    await journal.record('a.1');
    const lines = readFileSync(journal.path, 'utf8').split('\n').filter(Boolean);
    expect(lines).toEqual(['a.1', 'b.2', 'c.3']);
  });
});
