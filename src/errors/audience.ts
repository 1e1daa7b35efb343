import type { CatalogPart } from './names.ts';

const UNTOUCHED = 'The file was not changed.';
const SAVE_AS_CSV =
  'Open it in Excel and save it with "Spara som" → "CSV UTF-8 (kommaavgränsad)", then import that file.';
const HEADER_HINT = 'The first line must name the columns, such as `email;name` (or `e-post;namn`).';
const NEWER_SCHEMA =
  'Upgrade nyhetsbrev (git pull && npm install), or point `database` in the config at another file.';

/** "Nothing was imported: FILE PROBLEM." */
const nothing = (file: string, problem: string): string => `Nothing was imported: ${file} ${problem}.`;

/** Hints for SQLite failures of the environment, by the family of their code (`SQLITE_BUSY_…`). */
export const DATABASE_HINTS: Readonly<Record<string, string>> = {
  SQLITE_BUSY:
    'Another nyhetsbrev process (a send, an import or `serve`) holds the write lock; wait for it to finish and run again.',
  SQLITE_NOTADB:
    'The file is not an SQLite database. Point `database` in the config at the right file. The file was not changed.',
  SQLITE_CORRUPT: 'The database file is damaged. Restore it from a backup.',
  SQLITE_FULL: 'The disk is full. Free some space and run again.',
  SQLITE_CANTOPEN: 'Check that the folder exists and is writable.',
  SQLITE_READONLY: 'The database file or its folder is read-only. Check the permissions.',
};

/** Errors of the subscriber database and of subscriber imports. */
export const AUDIENCE = {
  DatabaseFolderIsFile: {
    name: 'DatabaseError',
    message: ({ path, folder }: { path: string; folder: string }) =>
      `Cannot create the database ${path}: ${folder} is not a folder.`,
    hint: 'A part of the path is a file. Point `database` in the config at a path inside a folder.',
  },
  /** The database file found at `database:` is newer than this release (before anything is written). */
  DatabaseTooNew: {
    name: 'DatabaseError',
    message: ({ path, version, known }: { path: string; version: number; known: number }) =>
      `${path} has schema version ${version}, newer than this nyhetsbrev knows (${known}).`,
    hint: `${NEWER_SCHEMA} ${UNTOUCHED}`,
  },
  /** The database is newer than this release (found when migrating). */
  MigrationTooNew: {
    name: 'DatabaseError',
    message: ({ path, version, known }: { path: string; version: number; known: number }) =>
      `${path} has schema version ${version}, newer than this nyhetsbrev knows (${known}).`,
    hint: NEWER_SCHEMA,
  },
  MigrationDamaged: {
    name: 'DatabaseError',
    message: ({ path, version }: { path: string; version: number }) =>
      `${path} has rows that point to rows that do not exist (PRAGMA foreign_key_check), so it was left at schema version ${version}.`,
    hint: 'The file is damaged. Restore it from a backup.',
  },
  DatabaseEmpty: {
    name: 'DatabaseError',
    message: ({ path, what }: { path: string; what: string }) =>
      `${path} is ${what}, not a nyhetsbrev database.`,
    hint: `It holds no data: delete it to have a new database created there, or point \`database\` in the config at the right file. ${UNTOUCHED}`,
  },
  DatabaseOfOtherApp: {
    name: 'DatabaseError',
    message: ({ path, id }: { path: string; id: number }) =>
      `${path} belongs to another application (SQLite application_id ${id}), not to nyhetsbrev.`,
    hint: `Point \`database\` in the config at the nyhetsbrev database, or at a path where none exists yet to create a new one. ${UNTOUCHED}`,
  },
  DatabaseNotOurs: {
    name: 'DatabaseError',
    message: ({ path, tables }: { path: string; tables: string }) =>
      `${path} is an SQLite database, but not a nyhetsbrev one (its tables: ${tables || 'none'}).`,
    hint: `Point \`database\` in the config at the nyhetsbrev database, or at a path where none exists yet to create a new one. ${UNTOUCHED}`,
  },
  /** An SQLite or file-system failure of the environment; `family` picks the hint. */
  DatabaseUnusable: {
    name: 'DatabaseError',
    message: ({ path, reason }: { path: string; reason: string; family: string | undefined }) =>
      `Cannot use the database ${path}: ${reason}`,
    hint: ({ family }: { path: string; reason: string; family: string | undefined }) =>
      (family && DATABASE_HINTS[family]) ??
      'Check that the file and its folder exist, are writable and the disk has space.',
  },
  ImportUnreadable: {
    name: 'ImportFailed',
    message: ({ file, reason }: { file: string; reason: string }) =>
      `Nothing was imported: cannot read ${file} (${reason}).`,
    hint: 'Check the path and the file permissions.',
  },
  CsvTooLarge: {
    name: 'ImportFailed',
    message: ({ file, megabytes, limit }: { file: string; megabytes: number; limit: number }) =>
      nothing(file, `is ${megabytes} MB; the limit is ${limit} MB`),
    hint: 'Split the file and import the parts one by one.',
  },
  CsvWorkbook: {
    name: 'ImportFailed',
    message: ({ file, what }: { file: string; what: string }) => nothing(file, `is ${what}, not a CSV file`),
    hint: SAVE_AS_CSV,
  },
  CsvNulBytes: {
    name: 'ImportFailed',
    message: ({ file }: { file: string }) =>
      nothing(
        file,
        'contains NUL bytes: it is a binary file (or UTF-16 without a byte order mark), not a CSV file',
      ),
    hint: SAVE_AS_CSV,
  },
  CsvBinary: {
    name: 'ImportFailed',
    message: ({ file, controls }: { file: string; controls: number }) =>
      nothing(file, `contains ${controls} control characters: it is a binary file, not a CSV file`),
    hint: SAVE_AS_CSV,
  },
  /** `utf8` says which line is UTF-8 ("line 3 is UTF-8", or the BOM); the place is `file:line`. */
  CsvMixedEncoding: {
    name: 'ImportFailed',
    message: ({ file, line, utf8 }: { file: string; line: number; utf8: string }) =>
      nothing(file, `mixes text encodings: line ${line} is not UTF-8 (Windows-1252?), while ${utf8}`),
    hint: ({ line }: { file: string; line: number; utf8: string }) =>
      `Open the file in a text editor, correct line ${line} (its letters such as å, ä, ö) and save the whole file as UTF-8, then import it again.`,
  },
  CsvLongLine: {
    name: 'ImportFailed',
    message: ({ file, length, limit }: { file: string; length: number; limit: number }) =>
      nothing(
        file,
        `has a line ${length.toLocaleString('en')} characters long (the limit is ${limit.toLocaleString('en')}): it is not a subscriber list`,
      ),
    hint: 'Check that this is the right file: one subscriber per line, with a header line such as `email;name`.',
  },
  CsvEmpty: {
    name: 'ImportFailed',
    message: ({ file }: { file: string }) => nothing(file, 'is empty'),
    hint: HEADER_HINT,
  },
  /** `header` lists the header line's names, shortened; `looksLikeData` when one is an address. */
  CsvNoEmailColumn: {
    name: 'ImportFailed',
    message: ({ file, header }: EmailColumnArgs) =>
      nothing(file, `has no email column (the header line has ${header})`),
    hint: ({ looksLikeData }: EmailColumnArgs) =>
      looksLikeData ? `The first line looks like a subscriber, not a header. ${HEADER_HINT}` : HEADER_HINT,
  },
  ImportStrictRejected: {
    name: 'ImportFailed',
    message: ({ file, bad }: { file: string; bad: number }) =>
      `Nothing was imported: ${bad} row(s) of ${file} were rejected and --strict is set.`,
    hint: 'Fix the lines listed above and import again, or leave out --strict to import the good rows.',
  },
  ImportRowsRejected: {
    name: 'ImportFailed',
    message: ({ file, bad }: { file: string; bad: number }) =>
      `${bad} row(s) were rejected; the other rows of ${file} were imported.`,
    hint: 'Fix the lines listed above and import the file again: rows already imported count as already present.',
  },
  EmailInvalid: {
    name: 'UsageError',
    message: ({ reason }: { reason: string }) => `Not a valid email address: ${reason}.`,
    hint: 'Give one address such as anna.svensson@example.org.',
  },
  StatusUnknown: {
    name: 'UsageError',
    message: ({ status }: { status: string; known: readonly string[] }) => `Unknown status "${status}".`,
    hint: ({ known }: { status: string; known: readonly string[] }) => `Use one of: ${known.join(', ')}.`,
  },
  SubscriberSuppressed: {
    name: 'SubscriberSuppressed',
    message: ({ email, why }: { email: string; why: string }) =>
      `${email} is suppressed (${why}); it was not added.`,
    hint: 'People who unsubscribed or asked to be forgotten can subscribe again themselves on the subscription page.',
  },
  SubscriberMissing: {
    name: 'SubscriberNotFound',
    message: ({ email }: { email: string }) => `${email} is not in the database.`,
    hint: 'Check the spelling; `nyhetsbrev subscribers list` shows every subscriber.',
  },
  NotAMember: {
    name: 'SubscriberNotFound',
    message: ({ email, list }: { email: string; list: string }) => `${email} is not a member of ${list}.`,
    hint: ({ email }: { email: string; list: string }) =>
      `\`nyhetsbrev subscribers export ${email}\` shows their lists.`,
  },
  NothingStored: {
    name: 'SubscriberNotFound',
    message: ({ email }: { email: string }) => `Nothing is stored about ${email}.`,
    hint: 'Check the spelling. Addresses are compared without regard to case.',
  },
  /** `variable` is the secret's environment variable. */
  SuppressionKeyChanged: {
    name: 'SuppressionKeyChanged',
    message: ({ count, variable, secretSet }: KeyArgs) =>
      `The ${count} suppressed address(es) in the database were hashed with a different key than the current one (${variable} is ${secretSet ? 'set' : 'not set'}).`,
    hint: ({ variable }: KeyArgs) =>
      `Use the same ${variable} as when the suppressions were written (or unset it if they were written without one). A new key would let unsubscribed and forgotten people be imported again.`,
  },
} satisfies CatalogPart;

interface EmailColumnArgs {
  file: string;
  header: string;
  looksLikeData: boolean;
}

interface KeyArgs {
  count: number;
  variable: string;
  secretSet: boolean;
}
