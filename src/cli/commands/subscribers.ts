import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import {
  addSubscriber,
  collectStats,
  databaseError,
  describeAdd,
  describeForget,
  exportPerson,
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
  STATUSES,
  subscriberJson,
  summariseImport,
  type ImportReport,
  type Store,
} from '../../audience/index.ts';
import type { Config } from '../../config/schema.ts';
import { UserError } from '../../errors.ts';
import { removeAddressNamedFiles } from '../../send/transports/index.ts';
import { configOf, isInteractive } from '../context.ts';
import { errorJson, printJson } from '../json.ts';
import { importJson } from '../json-shapes.ts';

interface ImportFlags {
  list: string;
  strict: boolean;
  source?: string;
  json?: boolean;
}

/** Registers `nyhetsbrev subscribers import|add|remove|list|stats|export|forget`. */
export function registerSubscribers(program: Command): void {
  const subscribers = program.command('subscribers').description('manage subscribers and forum lists');
  const collect = (value: string, previous: string[] = []): string[] => [
    ...previous,
    ...value.split(',').filter(Boolean),
  ];

  subscribers
    .command('import')
    .description('import a CSV file (columns email and optional name) into one list, in one transaction')
    .argument('<file>', 'CSV file: comma or semicolon separated, UTF-8 or Windows-1252')
    .requiredOption(
      '--list <id>',
      'list (from lists.yml) the people join; a `lists` column overrides it per row',
    )
    .option('--strict', 'import nothing if any row is bad', false)
    .option('--source <text>', 'consent source to record (default: import:<file name>)')
    .option('--json', 'print the result as JSON (README → Machine-readable output)', false)
    .action((file: string, options: ImportFlags, command: Command) =>
      withStore(command, (store, config) => runImport(store, config, file, options)),
    );

  subscribers
    .command('add')
    .description('add one person to lists (default: the default list of lists.yml)')
    .argument('<email>')
    .option('--name <name>', 'full name')
    .option('--list <id>', 'list id (repeatable)', collect)
    .action((email: string, options: { name?: string; list?: string[] }, command: Command) =>
      withStore(command, (store, config) => {
        const lists = loadLists(config.lists);
        const ids = requireLists(lists, options.list ?? [lists.default]);
        out(describeAdd(addSubscriber(store, email, { name: options.name, lists: ids })));
      }),
    );

  subscribers
    .command('remove')
    .description('remove a person from one list, or unsubscribe them from everything')
    .argument('<email>')
    .option('--list <id>', 'only leave this list')
    .action((email: string, options: { list?: string }, command: Command) =>
      withStore(command, (store) => {
        const result = removeSubscriber(store, email, options.list);
        out(
          options.list
            ? `Removed ${result.email} from ${options.list}; their other lists are unchanged.`
            : `${result.email} is now ${result.status} and suppressed: no send or import will reach them again.`,
        );
      }),
    );

  subscribers
    .command('list')
    .description('list subscribers, ordered by address')
    .option('--list <id>', 'only members of this list')
    .option('--status <status>', `only this status (${STATUSES.join(', ')})`)
    .option('--json', 'print JSON', false)
    .action((options: { list?: string; status?: string; json: boolean }, command: Command) =>
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
      }),
    );

  subscribers
    .command('stats')
    .description('subscriber counts per list and status, and suppressions')
    .option('--json', 'print JSON', false)
    .action((options: { json: boolean }, command: Command) =>
      withStore(command, (store, config) => {
        const stats = collectStats(store.counts(), store.suppressionCounts(), loadLists(config.lists));
        out(options.json ? JSON.stringify(stats, null, 2) : formatStats(stats));
      }),
    );

  subscribers
    .command('export')
    .description('print everything stored about one address as JSON (right of access)')
    .argument('<email>')
    .action((email: string, _options: unknown, command: Command) =>
      withStore(command, (store) => out(JSON.stringify(exportPerson(store, email), null, 2))),
    );

  subscribers
    .command('forget')
    .description(
      'erase everything about one address, keeping only a keyed hash so it is never imported again',
    )
    .argument('<email>')
    .action((email: string, _options: unknown, command: Command) =>
      withStore(command, (store, config) => {
        const result = forgetPerson(store, email);
        out(describeForget(result));
        // Outbox folders of releases before 2026-12 named each file by its recipient's address.
        const files = removeAddressNamedFiles(config.transport.outbox.dir, result.email);
        if (files > 0)
          out(`Deleted ${files} file(s) named by the address from ${config.transport.outbox.dir}.`);
        if (!result.walCleared) {
          process.stderr.write(
            'warning: another process has the database open; its write-ahead log is cleared when that process stops.\n',
          );
        }
      }),
    );
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
    ? new UserError(
        'ImportFailed',
        `Nothing was imported: ${bad} row(s) of ${file} were rejected and --strict is set.`,
        {
          hint: 'Fix the lines listed above and import again, or leave out --strict to import the good rows.',
        },
      )
    : bad > 0
      ? new UserError(
          'ImportFailed',
          `${bad} row(s) were rejected; the other rows of ${file} were imported.`,
          {
            hint: 'Fix the lines listed above and import the file again: rows already imported count as already present.',
          },
        )
      : undefined;
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
