import { parse, type CsvError } from 'csv-parse/sync';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { decodeCsv, type CsvEncoding } from './decode.ts';

/** One data row of the file: raw (trimmed) field values and the line the row starts on. */
export interface CsvRecord {
  line: number;
  email: string;
  name: string | undefined;
  /** The row's own list ids (an optional `lists` column, ids separated by spaces, `,` or `|`). */
  lists: string | undefined;
  /** Set when the row cannot be used as it is (too many fields). */
  problem?: string;
}

/** A row that could not be read at all, with its line and the reason. */
export interface RejectedRow {
  line: number;
  reason: string;
}

/** The file, read: its data rows and the rows that could not be parsed. */
export interface ParsedCsv {
  records: CsvRecord[];
  rejected: RejectedRow[];
  encoding: CsvEncoding;
  delimiter: string;
}

// Header names, compared lowercase with spaces, hyphens and underscores removed.
const EMAIL_HEADERS = [
  'email',
  'emailaddress',
  'epost',
  'epostadress',
  'mail',
  'mailadress',
  'mejl',
  'mejladress',
];
const NAME_HEADERS = ['name', 'namn', 'fullname', 'fullständigtnamn', 'displayname'];
const FIRST_NAME_HEADERS = ['firstname', 'givenname', 'förnamn'];
const LAST_NAME_HEADERS = ['lastname', 'surname', 'familyname', 'efternamn'];
const LISTS_HEADERS = ['lists', 'list', 'listor', 'lista', 'forum'];

/**
 * Reads a subscriber CSV: decodes it (see {@link decodeCsv}), detects `,`, `;` or tab from the
 * header line, and maps the header (`email`/`e-post`…, optional `name`/`namn` or
 * `förnamn` + `efternamn`, optional `lists`/`forum`; any case) to columns. Blank lines are skipped;
 * line numbers are those of the file. Throws `ImportFailed` when the file cannot be a subscriber list (no email column);
 * rows that cannot be parsed are returned in `rejected`.
 */
export function parseSubscriberCsv(bytes: Buffer, file: string): ParsedCsv {
  const { text, encoding } = decodeCsv(bytes, file);
  const delimiter = detectDelimiter(text);
  const errors: CsvError[] = [];
  const rows = parse(text, {
    delimiter,
    info: true,
    raw: true,
    ltrim: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      if (error) errors.push(error);
    },
  }) as unknown as CsvRow[];
  const rejected = errors.map((error) => {
    const end = lineOf(error);
    const before = rows.filter((row) => row.info.lines < end).at(-1)?.info.lines ?? 0;
    return describeParseError(error, before);
  });
  const [header, ...data] = rows;
  if (!header) throw new UserError(E.CsvEmpty, { file });
  const columns = mapHeader(header.record.map(clean), file, startLine(header));
  const records = data.map((row) => toRecord(row, columns, header.record.length, delimiter));
  return { records, rejected, encoding, delimiter };
}

/** A row as csv-parse returns it with `info` and `raw`. */
type CsvRow = { record: string[]; info: { lines: number }; raw: string };

/** A data row by the header's columns; a row with more fields than the header gets a `problem`. */
function toRecord(
  row: CsvRow,
  columns: ReturnType<typeof mapHeader>,
  headerLength: number,
  delimiter: string,
): CsvRecord {
  const values = row.record.map(clean);
  const at = (index: number | undefined): string | undefined =>
    index === undefined ? undefined : values[index];
  const name =
    columns.name !== undefined
      ? at(columns.name)
      : [at(columns.first), at(columns.last)].filter(Boolean).join(' ');
  const lists = at(columns.lists) || undefined;
  const record: CsvRecord = {
    line: startLine(row),
    email: at(columns.email) ?? '',
    name: name || undefined,
    lists,
  };
  const extra = values.slice(headerLength).filter((value) => value !== '').length;
  if (extra > 0) {
    record.problem = `has ${values.length} fields but the header has ${headerLength}; put values that contain "${delimiter}" in double quotes`;
  }
  return record;
}

function mapHeader(names: string[], file: string, line: number) {
  const keys = names.map((name) => name.toLowerCase().replace(/[\s_-]+/g, ''));
  const find = (aliases: string[]): number | undefined => {
    const index = keys.findIndex((key) => aliases.includes(key));
    return index === -1 ? undefined : index;
  };
  const email = find(EMAIL_HEADERS);
  if (email === undefined) {
    const looksLikeData = names.some((name) => name.includes('@'));
    const shown = names.slice(0, 8).map((name) => (name.length > 40 ? `${name.slice(0, 37)}…` : name));
    const header = `${shown.map((n) => `"${n}"`).join(', ')}${names.length > 8 ? ', …' : ''}`;
    throw new UserError(E.CsvNoEmailColumn, { file, header, looksLikeData }, { place: `${file}:${line}` });
  }
  return {
    email,
    name: find(NAME_HEADERS),
    first: find(FIRST_NAME_HEADERS),
    last: find(LAST_NAME_HEADERS),
    lists: find(LISTS_HEADERS),
  };
}

/**
 * Picks the delimiter that occurs most often outside quotes on the first five non-blank lines (the
 * header alone has none when it is a single `email` column); `,` on a tie or when there is none.
 */
function detectDelimiter(text: string): string {
  const head = text
    .slice(0, 64 * 1024)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, 5);
  const unquoted = head.join('\n').replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((char) => [char, unquoted.split(char).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

/** The line a record starts on: its end line minus the line breaks inside it (raw includes skipped blank lines before it). */
function startLine(row: { info: { lines: number }; raw: string }): number {
  const body = row.raw.replace(/^(?:[ \t]*\n)+/, '').replace(/\n$/, '');
  return row.info.lines - (body.split('\n').length - 1);
}

/** Trims a field and removes quotes that csv-parse kept because of spaces around them. */
function clean(value: string): string {
  const trimmed = value.trim();
  const quoted = /^"(.*)"$/s.exec(trimmed);
  return quoted ? quoted[1]!.replace(/""/g, '"').trim() : trimmed;
}

function lineOf(error: CsvError): number {
  return (error as CsvError & { lines?: number }).lines ?? 1;
}

function describeParseError(error: CsvError, lastLine: number): RejectedRow {
  const end = lineOf(error);
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return {
      line: lastLine + 1,
      reason: `a double quote on this or a later line is never closed, so lines ${lastLine + 1}–${end} could not be read`,
    };
  }
  return { line: end, reason: `cannot be read as CSV: ${error.message.split(':')[0]}` };
}
