import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import {
  addSubscriber,
  collectStats,
  databaseError,
  describeAdd,
  describeForget,
  exportPerson as exportRecord,
  forgetPerson,
  formatImportProblems,
  formatStats,
  formatSubscriberTable,
  importCsv,
  loadLists,
  openStore,
  parseStatus,
  readImportFile,
  removeSubscriber,
  requireLists,
  subscriberJson,
  summariseImport,
  type ImportReport,
  type Store,
} from '../../audience/index.ts';
import type { Config } from '../../config/schema.ts';
import { UserError } from '../../errors.ts';
import { E } from '../../errors/catalog.ts';
import { removeAddressNamedFiles } from '../../send/transports/index.ts';
import { configOf, isInteractive } from '../context.ts';
import { errorJson, printJson } from '../json.ts';
import { importJson } from '../json-shapes.ts';

/** Options of `nyhetsbrev subscribers import`. */
export interface ImportFlags {
  list: string;
  strict: boolean;
  source?: string;
  json?: boolean;
}

/** `subscribers import FILE --list ID`: one transaction; rejected rows are listed (exit 1). */
export function importFile(file: string, options: ImportFlags, command: Command): void {
  withStore(command, (store, config) => runImport(store, config, file, options));
}

/** `subscribers add EMAIL`: adds one person to lists (default: the default list). */
export function add(email: string, options: { name?: string; list?: string[] }, command: Command): void {
  withStore(command, (store, config) => {
    const lists = loadLists(config.lists);
    const ids = requireLists(lists, options.list ?? [lists.default]);
    out(describeAdd(addSubscriber(store, email, { name: options.name, lists: ids })));
  });
}

/** `subscribers remove EMAIL [--list ID]`: leaves one list, or unsubscribes from everything. */
export function remove(email: string, options: { list?: string }, command: Command): void {
  withStore(command, (store) => {
    const result = removeSubscriber(store, email, options.list);
    out(
      options.list
        ? `Removed ${result.email} from ${options.list}; their other lists are unchanged.`
        : `${result.email} is now ${result.status} and suppressed: no send or import will reach them again.`,
    );
  });
}

/** `subscribers list`: a table (or JSON) of subscribers, ordered by address. */
export function list(options: { list?: string; status?: string; json: boolean }, command: Command): void {
  withStore(command, (store, config) => {
    if (options.list) requireLists(loadLists(config.lists), [options.list]);
    const rows = store.listSubscribers({ list: options.list, status: parseStatus(options.status) });
    if (options.json) out(JSON.stringify(rows.map(subscriberJson), null, 2));
    else
      out(
        rows.length > 0
          ? `${formatSubscriberTable(rows)}\n${rows.length} subscriber(s)`
          : 'No subscribers match.',
      );
  });
}

/** `subscribers stats`: counts per list and status, and suppressions. */
export function stats(options: { json: boolean }, command: Command): void {
  withStore(command, (store, config) => {
    const counts = collectStats(store.counts(), store.suppressionCounts(), loadLists(config.lists));
    out(options.json ? JSON.stringify(counts, null, 2) : formatStats(counts));
  });
}

/** `subscribers export EMAIL`: everything stored about one address, as JSON. */
export function exportPerson(email: string, command: Command): void {
  withStore(command, (store) => out(JSON.stringify(exportRecord(store, email), null, 2)));
}

/** `subscribers forget EMAIL`: erases the person, keeping a keyed hash against re-import. */
export function forget(email: string, command: Command): void {
  withStore(command, (store, config) => {
    const result = forgetPerson(store, email);
    out(describeForget(result));
    // Outbox folders of releases before 2026-12 named each file by its recipient's address.
    const files = removeAddressNamedFiles(config.transport.outbox.dir, result.email);
    if (files > 0) out(`Deleted ${files} file(s) named by the address from ${config.transport.outbox.dir}.`);
    if (!result.walCleared) {
      process.stderr.write(
        'warning: another process has the database open; its write-ahead log is cleared when that process stops.\n',
      );
    }
  });
}

function runImport(store: Store, config: Config, file: string, options: ImportFlags): void {
  const bar = isInteractive()
    ? new cliProgress.SingleBar(
        { stream: process.stderr, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const { json, ...importOptions } = options;
  let report: ImportReport;
  try {
    report = importCsv(store, loadLists(config.lists), readImportFile(file), {
      ...importOptions,
      onStart: (total) => bar?.start(total, 0),
      onProgress: (done) => bar?.update(done),
    });
  } catch (error) {
    bar?.stop();
    if (json && errorJson(error)) printJson(importJson(file, options.list, undefined, errorJson(error)!));
    throw error;
  }
  bar?.stop();
  const problems = formatImportProblems(file, report);
  if (problems.length > 0) process.stderr.write(`${problems.join('\n')}\n`);
  const bad = report.rejected.length;
  const failure = !report.committed
    ? new UserError(E.ImportStrictRejected, { file, bad })
    : bad > 0
      ? new UserError(E.ImportRowsRejected, { file, bad })
      : undefined;
  // --json: the result (with the failure, if any) as JSON on stdout, README → Machine-readable output.
  if (json) printJson(importJson(file, options.list, report, errorJson(failure) ?? null));
  else if (report.committed) out(summariseImport(report));
  if (failure) throw failure;
}

/** Opens the configured database for one command, turns environment failures into `DatabaseError`, and closes it. */
function withStore(command: Command, run: (store: Store, config: Config) => void): void {
  const config = configOf(command);
  const store = openStore(config.database);
  try {
    run(store, config);
  } catch (error) {
    throw databaseError(error, config.database);
  } finally {
    store.close();
  }
}

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}
