import type { Command } from 'commander';
import { STATUSES } from '../../audience/types.ts';
import type { ImportFlags } from '../actions/subscribers.ts';

type Actions = typeof import('../actions/subscribers.ts');
const load = (): Promise<Actions> => import('../actions/subscribers.ts');

/** Declares `nyhetsbrev subscribers import|add|remove|list|stats|export|forget`; src/cli/actions/subscribers.ts runs them. */
export function registerSubscribers(program: Command): void {
  const subscribers = program.command('subscribers').description('manage subscribers and forum lists');
  declareImport(subscribers);
  declareMembership(subscribers);
  declareListing(subscribers);
  declarePrivacy(subscribers);
}

// A repeatable option whose values may also be comma-separated.
const collect = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value.split(',').filter(Boolean),
];

function declareImport(subscribers: Command): void {
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
    .action(async (file: string, options: ImportFlags, command: Command) =>
      (await load()).importFile(file, options, command),
    );
}

/** `add` and `remove`: one person joins or leaves lists. */
function declareMembership(subscribers: Command): void {
  subscribers
    .command('add')
    .description('add one person to lists (default: the default list of lists.yml)')
    .argument('<email>')
    .option('--name <name>', 'full name')
    .option('--list <id>', 'list id (repeatable)', collect)
    .action(async (email: string, options: { name?: string; list?: string[] }, command: Command) =>
      (await load()).add(email, options, command),
    );

  subscribers
    .command('remove')
    .description('remove a person from one list, or unsubscribe them from everything')
    .argument('<email>')
    .option('--list <id>', 'only leave this list')
    .action(async (email: string, options: { list?: string }, command: Command) =>
      (await load()).remove(email, options, command),
    );
}

/** `list` and `stats`. */
function declareListing(subscribers: Command): void {
  subscribers
    .command('list')
    .description('list subscribers, ordered by address')
    .option('--list <id>', 'only members of this list')
    .option('--status <status>', `only this status (${STATUSES.join(', ')})`)
    .option('--json', 'print JSON', false)
    .action(async (options: { list?: string; status?: string; json: boolean }, command: Command) =>
      (await load()).list(options, command),
    );

  subscribers
    .command('stats')
    .description('subscriber counts per list and status, and suppressions')
    .option('--json', 'print JSON', false)
    .action(async (options: { json: boolean }, command: Command) => (await load()).stats(options, command));
}

/** `export` and `forget`: a person's rights of access and erasure. */
function declarePrivacy(subscribers: Command): void {
  subscribers
    .command('export')
    .description('print everything stored about one address as JSON (right of access)')
    .argument('<email>')
    .action(async (email: string, _options: unknown, command: Command) =>
      (await load()).exportPerson(email, command),
    );

  subscribers
    .command('forget')
    .description(
      'erase everything about one address, keeping only a keyed hash so it is never imported again',
    )
    .argument('<email>')
    .action(async (email: string, _options: unknown, command: Command) =>
      (await load()).forget(email, command),
    );
}
