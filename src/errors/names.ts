/**
 * The permanent error names, each with the line README's troubleshooting table gives it. A name is
 * what the user sees and searches for: add names, never rename one. Each message a name can carry
 * is an entry of the catalog (`catalog.ts`).
 */
export const ERROR_TITLES = {
  ConfigNotFound:
    'the config file given with `--config` (or a `lists:` file it names) does not exist or cannot be read',
  ConfigInvalid:
    '`nyhetsbrev.yml` (or the lists file) is not valid YAML or a key has a bad value; each problem is listed with its line',
  ThemeInvalid:
    "the `theme:` folder has no `theme.yml`, a key of it has a bad value or names a logo file that is not there (each problem with its `file:line:col`), a logo's size cannot be read, or the theme's email footer lacks `{{unsubscribeUrl}}`",
  IssuesFolderUnreadable: 'the `--issues` folder does not exist or cannot be read',
  IssueNotFound: 'no issue folder with that id; the hint lists the known ids',
  CheckFailed: 'the issues have content errors (listed above the error); nothing was built or sent',
  TemplateError: 'a template uses a field that does not exist (templates are strict)',
  PublishFailed: 'the archive could not be built or swapped in; the previous site is untouched',
  IssueExists: '`new` or `import` refuses to overwrite an existing issue',
  DatabaseError:
    'the subscriber database cannot be used; a `database:` file that is not a nyhetsbrev database of a known version is refused untouched',
  ImportFailed:
    '`subscribers import` cannot use the file or rejected rows; imports are all-or-nothing per transaction',
  SubscriberNotFound: 'the address is not in the database, or not a member of that list',
  UnknownList: 'a list id that the lists file does not define',
  SendRefused:
    'preflight refused the send (draft, check errors, missing secret, already sent, no confirmation)',
  SendStopped:
    'the send stopped (quota, auth, uncertain recipients); the message says what state the campaign is in and how to resume',
  TransportError: 'the transport cannot be set up (e.g. its DKIM key cannot be read)',
  SecretMissing: 'a secret is missing from the environment, or too short',
  SuppressionKeyChanged:
    '`NYHETSBREV_SECRET` changed (or was set/unset) while suppressions exist; restore the previous secret',
  SubscriberSuppressed:
    'the address unsubscribed, bounced, complained or was forgotten; it cannot be added back by the operator',
  ServeRefused:
    '`serve` refuses to start (e.g. a secret shorter than 32 bytes, a database it cannot use or that another process held for 30 s)',
  UsageError:
    'a command was given arguments it cannot use (a bad id, port, choice or combination of options)',
  PortInUse: '`preview` cannot listen on the port (another program uses it); pass another `--port`',
  BackupFailed:
    'the backup was not written (no database, FILE exists without `--force`, FILE is the database, disk full); FILE is untouched',
  RestoreRefused:
    'the restore changed nothing: the backup is not a sound nyhetsbrev database of a known schema, the database is in use, or the backup lacks emails sent since (`--force` accepts that)',
  BouncesUnreadable:
    '`nyhetsbrev bounces` was given something that is neither a Maildir folder (with `cur/`, `new/`, `tmp/`) nor an mbox file; nothing was read',
  SourceUnreadable:
    '`import` cannot read a file, or it is not a `.docx`, HTML page or Markdown file (an old `.doc`: save it as `.docx`); nothing was written',
  ImportRefused:
    '`import` would have to guess (no date, text before the first heading with `--into`, two files of one month) or an earlier import into the issue was interrupted; nothing was written',
  ScheduleInvalid:
    '`--at` is not a time, names no real zone, falls in the spring hour the clocks skip, or is not in the future; nothing was scheduled',
  ScheduleRefused:
    '`--cancel` found no waiting schedule, or the schedule is running right now (stop its process; it then waits and can be cancelled)',
  NotSent: '`report <id>`: no send or schedule of that issue is recorded in the configured database',
} as const satisfies Record<string, string>;

/** A permanent error name. */
export type ErrorName = keyof typeof ERROR_TITLES;

/** Every permanent error name, in README's order. */
export const ERROR_NAMES = Object.keys(ERROR_TITLES) as readonly ErrorName[];

/**
 * One message of the catalog: the permanent `name` it is raised under, the `message` made from its
 * arguments (what happened, why; after a state change, the state things are in now) and the `hint`
 * (what to do; every entry has one). `A` is the arguments' type, which `new UserError(entry, args)`
 * checks. The title is the name's, in {@link ERROR_TITLES}: a name is shared by several entries.
 */
export interface ErrorEntry<A = never> {
  readonly name: ErrorName;
  readonly message: (args: A) => string;
  readonly hint: string | ((args: A) => string | undefined);
}

/** A part of the catalog: entries by their key (`E.<key>`), unique across the catalog. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry keeps its own argument type
export type CatalogPart = Record<string, ErrorEntry<any>>;
