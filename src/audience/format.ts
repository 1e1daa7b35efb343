import type { RejectedRow } from './csv.ts';
import type { ImportReport } from './import.ts';
import type { Lists } from './lists.ts';
import type { AddResult } from './manage.ts';
import { withoutKey, type ForgetResult } from './privacy.ts';
import type { Queries } from './queries.ts';
import { STATUSES, type SubscriberStatus, type SubscriberWithLists } from './types.ts';

/** Shown at most; the rest is counted. Keeps a 50 000-row file with a wrong column readable. */
const MAX_LISTED = 50;

/**
 * The rejected rows of an import as `file:line: reason` lines, then the merged duplicates as
 * info lines. Long lists are cut after 50 entries with a count of the rest.
 */
export function formatImportProblems(
  file: string,
  report: Pick<ImportReport, 'rejected' | 'duplicates'>,
): string[] {
  const lines = cut(report.rejected, (row: RejectedRow) => `${file}:${row.line}: rejected: ${row.reason}`);
  lines.push(
    ...cut(
      report.duplicates,
      (row) => `${file}:${row.line}: info: the same address as line ${row.firstLine}; merged`,
    ),
  );
  return lines;
}

function cut<T>(items: readonly T[], line: (item: T) => string): string[] {
  const lines = items.slice(0, MAX_LISTED).map(line);
  if (items.length > MAX_LISTED) lines.push(`… and ${items.length - MAX_LISTED} more`);
  return lines;
}

/** One line on what `subscribers add` did. */
export function describeAdd(result: AddResult): string {
  const joined = result.joined.length > 0 ? `joined ${result.joined.join(', ')}` : 'no new lists';
  const already = result.already.length > 0 ? `; already in ${result.already.join(', ')}` : '';
  const verb = result.created ? 'Added' : 'Updated';
  return `${verb} ${result.subscriber.email} (${result.subscriber.status}): ${joined}${already}.`;
}

/** What `subscribers forget` did, and the state things are in now. */
export function describeForget(result: ForgetResult): string {
  const what = result.subscriber
    ? 'deleted the subscriber and their list memberships'
    : 'no subscriber row was stored';
  return (
    `Forgot ${result.email}: ${what}, cleared address and name on ${result.deliveries} delivery row(s). ` +
    'Only a keyed hash is kept, so imports skip the address.'
  );
}

/** Subscribers as aligned plain-text columns: address, name, status, lists. */
export function formatSubscriberTable(rows: readonly SubscriberWithLists[]): string {
  const table = rows.map((row) => [row.email, row.name ?? '', row.status, row.lists.join(', ')]);
  return alignColumns([['email', 'name', 'status', 'lists'], ...table]);
}

/** A subscriber as `subscribers list --json` prints it (no internal key). */
export function subscriberJson(row: SubscriberWithLists): Omit<SubscriberWithLists, 'emailKey'> {
  return withoutKey(row);
}

/** The counts of `subscribers stats` as plain data (for `--json`). */
export interface Stats {
  /** Per list id (lists.yml order, then unknown ids): count per status. `(none)`: without a list. */
  lists: Record<string, Record<SubscriberStatus, number>>;
  /** Every subscriber once. */
  total: Record<SubscriberStatus, number>;
  suppressions: Record<string, number>;
}

/** Gathers {@link Stats} from the store's counts, listing every list of lists.yml (even empty ones). */
export function collectStats(
  counts: ReturnType<Queries['counts']>,
  suppressions: ReturnType<Queries['suppressionCounts']>,
  lists: Lists,
): Stats {
  const zero = (): Record<SubscriberStatus, number> =>
    Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<SubscriberStatus, number>;
  const stats: Stats = { lists: {}, total: zero(), suppressions: {} };
  for (const list of lists.lists) stats.lists[list.id] = zero();
  for (const { listId, status, count } of counts) {
    if (listId === '*') stats.total[status] = count;
    else (stats.lists[listId || '(none)'] ??= zero())[status] = count;
  }
  for (const { reason, count } of suppressions) stats.suppressions[reason] = count;
  return stats;
}

/** {@link Stats} as a table: one row per list and a total row, then the suppression counts. */
export function formatStats(stats: Stats): string {
  const row = (label: string, counts: Record<SubscriberStatus, number>): string[] => [
    label,
    ...STATUSES.map((status) => String(counts[status])),
  ];
  const table = alignColumns(
    [
      ['list', ...STATUSES],
      ...Object.entries(stats.lists).map(([id, counts]) => row(id, counts)),
      row('all subscribers', stats.total),
    ],
    true,
  );
  const suppressed = Object.entries(stats.suppressions);
  const total = suppressed.reduce((sum, [, count]) => sum + count, 0);
  const detail = suppressed.map(([reason, count]) => `${reason} ${count}`).join(', ');
  return `${table}\nsuppressed addresses: ${total}${detail ? ` (${detail})` : ''}`;
}

function alignColumns(rows: string[][], numeric = false): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          numeric && column > 0 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
