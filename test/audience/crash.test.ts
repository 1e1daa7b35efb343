import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/audience/index.ts';
import { runCli, startCli, tempConfig } from './helpers.ts';

const ROWS = 20_000;

function bigCsv(dir: string): string {
  const file = join(dir, 'big.csv');
  const lines = Array.from(
    { length: ROWS },
    (_, i) => `person${String(i).padStart(5, '0')}@example.org;Person ${i}`,
  );
  writeFileSync(file, `e-post;namn\n${lines.join('\n')}\n`);
  return file;
}

function countRows(database: string): { subscribers: number; memberships: number; integrity: string } {
  const store = openStore(database, { env: {} });
  try {
    return {
      subscribers: store.db.prepare('SELECT count(*) FROM subscribers').pluck().get() as number,
      memberships: store.db.prepare('SELECT count(*) FROM memberships').pluck().get() as number,
      integrity: store.db.pragma('integrity_check', { simple: true }) as string,
    };
  } finally {
    store.close();
  }
}

describe('an import killed mid-transaction', () => {
  it('leaves nothing behind when SIGKILLed halfway, and the next import writes every row', async () => {
    const { config, dir, database } = tempConfig();
    const file = bigCsv(dir);
    // Test hook (src/audience/import.ts): stop inside the transaction after half the rows.
    const child = startCli(config, ['subscribers', 'import', file, '--list', 'arkiv'], {
      NYHETSBREV_TEST_PAUSE_IMPORT_AT: String(ROWS / 2),
    });
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    try {
      let stderr = '';
      child.stderr.setEncoding('utf8');
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (chunk: string) => {
          stderr += chunk;
          if (stderr.includes('NYHETSBREV_TEST_PAUSED')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`import exited (${code}) before pausing: ${stderr}`)));
      });
      // Half the rows are written but not committed: another connection sees none of them.
      expect(countRows(database).subscribers).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toEqual([null, 'SIGKILL']);

    expect(countRows(database)).toEqual({ subscribers: 0, memberships: 0, integrity: 'ok' });
    const run = runCli(config, ['subscribers', 'import', file, '--list', 'arkiv']);
    expect(run.stdout).toBe(`${ROWS} added, 0 already present\n`);
    expect(countRows(database)).toEqual({ subscribers: ROWS, memberships: ROWS, integrity: 'ok' });
  });
});
