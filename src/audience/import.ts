import { writeSync } from 'node:fs';
import type { RejectedRow } from './csv.ts';
import type { CandidateRow, DuplicateRow } from './rows.ts';
import type { Store } from './store.ts';
import { STOPPED_STATUSES } from './types.ts';

/** Options of {@link importSubscribers}. */
export interface ImportOptions {
  /** The list (from lists.yml, already checked) rows without their own `lists` become members of. */
  list: string;
  /** Consent source stored on new subscribers, such as `import:forum-arkiv.csv`. */
  source: string;
  /** Import nothing when any row was rejected. */
  strict?: boolean | undefined;
  /** Called now and then with the number of rows done, inside the transaction. */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** What an import did. Line numbers are the file's. */
export interface ImportReport {
  /** Rows that joined at least one list (new subscribers included). */
  added: number;
  /** Of `added`, addresses that were not in the database before. */
  created: number;
  /** Rows already members of all their lists. */
  present: number;
  /** Lines skipped because the address unsubscribed, bounced, complained or was forgotten. */
  suppressed: number[];
  duplicates: DuplicateRow[];
  rejected: RejectedRow[];
  /** False when `strict` refused the file: nothing was written. */
  committed: boolean;
}

/**
 * Test hook (used by test/audience/crash.test.ts): `NYHETSBREV_TEST_PAUSE_IMPORT_AT=N` makes an
 * import print `NYHETSBREV_TEST_PAUSED` to stderr after writing N rows and wait there, inside the
 * transaction, so a test can kill the process at a known point. Never set it in production.
 */
export const TEST_PAUSE_ENV = 'NYHETSBREV_TEST_PAUSE_IMPORT_AT';

/**
 * Imports validated rows into `list` (or each row's own lists) in a single transaction: either every good row is written
 * or, on any failure or crash, none. New addresses become `active` with the given consent source;
 * `pending` ones are activated; suppressed ones (unsubscribed, bounced, complained, forgotten) are
 * skipped and never reactivated. With `strict`, nothing is written when any row was rejected.
 */
export function importSubscribers(
  store: Store,
  input: {
    rows: readonly CandidateRow[];
    duplicates: readonly DuplicateRow[];
    rejected: readonly RejectedRow[];
  },
  options: ImportOptions,
): ImportReport {
  const report: ImportReport = {
    added: 0,
    created: 0,
    present: 0,
    suppressed: [],
    duplicates: [...input.duplicates],
    rejected: [...input.rejected].sort((a, b) => a.line - b.line),
    committed: false,
  };
  if (options.strict && report.rejected.length > 0) return report;
  const pauseAt = Number(process.env[TEST_PAUSE_ENV] ?? Number.NaN);
  store.transaction(() => {
    input.rows.forEach((row, index) => {
      importRow(store, row, options, report);
      if (index + 1 === pauseAt) pauseForTest();
      if ((index + 1) % 250 === 0) options.onProgress?.(index + 1, input.rows.length);
    });
  });
  options.onProgress?.(input.rows.length, input.rows.length);
  report.committed = true;
  return report;
}

function importRow(store: Store, row: CandidateRow, options: ImportOptions, report: ImportReport): void {
  let subscriber = store.findSubscriber(row.key);
  if ((subscriber && STOPPED_STATUSES.includes(subscriber.status)) || store.suppression(row.key)) {
    report.suppressed.push(row.line);
    return;
  }
  if (!subscriber) {
    subscriber = store.insertSubscriber({
      email: row.email,
      emailKey: row.key,
      name: row.name,
      status: 'active',
      consentSource: options.source,
    });
    report.created++;
  } else if (subscriber.status === 'pending' || (!subscriber.name && row.name)) {
    store.updateSubscriber(subscriber.id, {
      ...(subscriber.status === 'pending' ? { status: 'active', consentSource: options.source } : {}),
      ...(!subscriber.name && row.name ? { name: row.name } : {}),
    });
  }
  let joined = false;
  for (const list of row.defaultList ? [options.list, ...row.lists] : row.lists)
    joined = store.addMembership(subscriber.id, list, options.source) || joined;
  if (joined) report.added++;
  else report.present++;
}

function pauseForTest(): void {
  writeSync(2, 'NYHETSBREV_TEST_PAUSED\n');
  // A synchronous wait: the transaction is synchronous, and the test kills us here.
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; waited < 60; waited++) Atomics.wait(cell, 0, 0, 1000);
}

/**
 * One summary line, such as `412 added, 3 already present, 2 rows rejected (lines 17, 88)`;
 * duplicates and suppressed rows are mentioned when there are any.
 */
export function summariseImport(report: ImportReport): string {
  const parts = [`${report.added} added`, `${report.present} already present`];
  if (report.duplicates.length > 0) parts.push(`${report.duplicates.length} duplicate row(s) merged`);
  if (report.suppressed.length > 0) {
    parts.push(
      `${report.suppressed.length} skipped because they unsubscribed, bounced or were forgotten (${lines(report.suppressed)})`,
    );
  }
  if (report.rejected.length > 0)
    parts.push(
      `${report.rejected.length} row(s) rejected (${lines(report.rejected.map((row) => row.line))})`,
    );
  return parts.join(', ');
}

function lines(numbers: number[]): string {
  const shown = numbers.slice(0, 10).join(', ');
  return `line${numbers.length === 1 ? '' : 's'} ${shown}${numbers.length > 10 ? `, … ${numbers.length - 10} more` : ''}`;
}
