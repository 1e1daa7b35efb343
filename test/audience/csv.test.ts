import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeCsv } from '../../src/audience/decode.ts';
import { parseSubscriberCsv, validateRows } from '../../src/audience/index.ts';
import { UserError } from '../../src/errors.ts';
import { CSV_FIXTURES, LIST_IDS } from './helpers.ts';

function readCase(name: string) {
  const parsed = parseSubscriberCsv(readFileSync(join(CSV_FIXTURES, name, 'input.csv')), `${name}/input.csv`);
  const rows = validateRows(parsed.records, LIST_IDS);
  return {
    encoding: parsed.encoding,
    delimiter: parsed.delimiter,
    ...rows,
    rejected: [...parsed.rejected, ...rows.rejected],
  };
}

/** What `read` (by default the whole CSV reader) throws for `bytes` as hostile.csv. */
function refusal(
  bytes: Buffer | string,
  read: (bytes: Buffer, file: string) => unknown = parseSubscriberCsv,
): UserError {
  try {
    read(Buffer.from(bytes), 'hostile.csv');
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('reading subscriber CSV files', () => {
  it.each(['clean', 'messy', 'windows-1252', 'quoted-commas', 'first-last-name', 'unclosed-quote'])(
    'reads the %s fixture as its expected.json says',
    async (name) => {
      const result = readCase(name);
      await expect(`${JSON.stringify(result, null, 2)}\n`).toMatchFileSnapshot(
        join(CSV_FIXTURES, name, 'expected.json'),
      );
    },
  );

  it('reads a Swedish Excel file: BOM, CRLF, semicolons, Swedish headers, trimmed values', () => {
    const result = readCase('messy');
    expect(result.delimiter).toBe(';');
    expect(result.rows.map((row) => [row.line, row.email, row.name])).toEqual([
      [2, 'Anna.Lindqvist@example.org', 'Anna Lindqvist'],
      [4, 'erik.johansson@example.com', 'Johansson; Erik'],
      [11, 'sofia.bergstrom@example.org', 'Sofia "Soffan" Bergström'],
      [16, 'ebba.lundgren@transportstyrelsen.test', 'Ebba Lundgren'],
    ]);
  });

  it('reports each bad row of the messy file with its line number, and merges duplicates as info', () => {
    const result = readCase('messy');
    expect(result.rejected.map((row) => row.line)).toEqual([6, 8, 10, 12, 13, 15]);
    expect(result.rejected.find((row) => row.line === 13)?.reason).toContain(
      'has 3 fields but the header has 2',
    );
    expect(result.duplicates).toEqual([
      { line: 5, firstLine: 2 },
      { line: 14, firstLine: 4 },
    ]);
  });

  it('decodes a Windows-1252 file (invalid UTF-8) so å, ä, ö and – survive', () => {
    const result = readCase('windows-1252');
    expect(result.encoding).toBe('windows-1252');
    expect(result.rows.map((row) => row.name)).toEqual([
      'Björn Isaksson',
      'Åsa Holm',
      'Helena Sjöberg',
      'Oskar Engström – IT',
    ]);
  });

  it('refuses a UTF-8 file with one Windows-1252 line, naming that line, instead of garbling every å', () => {
    const bytes = Buffer.concat([
      Buffer.from('email;namn\r\nasa.holm@example.org;Åsa Holm\r\nerik@example.org;Erik\r\n'),
      iconv.encode('bjorn@example.org;Björn Isaksson\r\n', 'win1252'),
      Buffer.from('helena@example.org;Helena Sjöberg\r\n'),
    ]);
    const error = refusal(bytes);
    expect(error.name).toBe('ImportFailed');
    expect(error.place).toBe('hostile.csv:4');
    expect(error.message).toBe(
      'Nothing was imported: hostile.csv mixes text encodings: line 4 is not UTF-8 (Windows-1252?), while line 2 is UTF-8.',
    );
    expect(error.hint).toContain('save the whole file as UTF-8');
  });

  it('refuses a file that starts with a UTF-8 byte order mark but has a Windows-1252 line', () => {
    const bytes = Buffer.concat([
      Buffer.from('\uFEFFemail,name\nanna@example.org,Anna\n'),
      iconv.encode('asa@example.org,Åsa\n', 'win1252'),
    ]);
    const error = refusal(bytes);
    expect(error.place).toBe('hostile.csv:3');
    expect(error.message).toContain('while the file starts with a UTF-8 byte order mark');
  });

  it('decodes a UTF-16 file with a byte order mark (Excel "Unicode text")', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      iconv.encode('email\tnamn\r\nasa.holm@example.org\tÅsa Holm\r\n', 'utf-16le'),
    ]);
    const parsed = parseSubscriberCsv(bytes, 'utf16.csv');
    expect(parsed.encoding).toBe('utf-16le');
    expect(parsed.records).toEqual([
      { line: 2, email: 'asa.holm@example.org', name: 'Åsa Holm', lists: undefined },
    ]);
  });

  it('keeps commas inside quotes and counts lines of a quoted line break from where the row starts', () => {
    const result = readCase('quoted-commas');
    expect(result.rows.map((row) => [row.line, row.name])).toEqual([
      [2, 'Lindqvist, Anna'],
      [3, 'Johansson, Erik'],
      [4, 'Karlsson, Maria Kanslichef'],
      [6, 'Nilsson, Lars'],
    ]);
  });

  it('joins förnamn and efternamn columns into the name', () => {
    expect(readCase('first-last-name').rows.map((row) => row.name)).toEqual(['Anna Lindqvist', 'Erik']);
  });

  it('reports a never-closed quote at the line where reading stopped, keeping the rows before it', () => {
    const result = readCase('unclosed-quote');
    expect(result.rows.map((row) => row.line)).toEqual([2]);
    expect(result.rejected.map((row) => row.line)).toEqual([3]);
    expect(result.rejected[0]?.reason).toContain('never closed, so lines 3–4');
  });

  it('rejects a row naming an unknown list in its lists column', () => {
    const parsed = parseSubscriberCsv(
      Buffer.from('email,lists\na@example.org,arkiv\nb@example.org,okänd arkiv\n'),
      'x.csv',
    );
    const result = validateRows(parsed.records, LIST_IDS);
    expect(result.rows.map((row) => row.lists)).toEqual([['arkiv']]);
    expect(result.rejected.map((row) => row.line)).toEqual([3]);
    expect(result.rejected[0]?.reason).toContain('unknown list okänd');
  });

  it('refuses a file without an email column, naming the columns it found', () => {
    const error = refusal('namn;telefon\nAnna;08-123\n');
    expect(error.name).toBe('ImportFailed');
    expect(error.message).toContain('no email column');
    expect(error.message).toContain('"namn", "telefon"');
  });

  it('refuses a file whose first line is an address, hinting that a header is missing', () => {
    expect(refusal('anna@example.org;Anna\n').hint).toContain('looks like a subscriber, not a header');
  });

  it('refuses an empty file', () => {
    expect(refusal('\n\n').message).toContain('is empty');
  });
});

describe('hostile CSV files', () => {
  it('refuses a 5 MB single line with the line number, without parsing it', () => {
    const bytes = Buffer.from('a,'.repeat(2.5 * 1024 * 1024));
    const error = refusal(bytes);
    expect(error.name).toBe('ImportFailed');
    expect(error.place).toBe('hostile.csv:1');
    expect(error.message).toContain('5,242,880 characters long');
    // Refused by decoding, whose linear check runs before the CSV parser: the parser never sees
    // the line. (The import's speed is measured by `npm run bench`, not here.)
    expect(refusal(bytes, decodeCsv)).toMatchObject({ place: error.place, message: error.message });
  });

  it('refuses a 5 MB line in the middle of a good file, naming that line', () => {
    expect(refusal(`email\na@example.org\n${'x'.repeat(5 * 1024 * 1024)}\nb@example.org\n`).place).toBe(
      'hostile.csv:3',
    );
  });

  it('refuses binary bytes (NUL) as not a CSV file', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    expect(refusal(bytes).message).toContain('binary file');
  });

  it('refuses binary bytes without NUL by their share of control characters', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => 1 + ((i * 31) % 255)));
    expect(refusal(bytes).message).toContain('control characters');
  });

  it('recognises an Excel workbook and says how to save it as CSV', () => {
    const error = refusal(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]));
    expect(error.message).toContain('Excel .xlsx');
    expect(error.hint).toContain('CSV UTF-8');
  });

  it('rejects a row with a control character in the name, keeping the others', () => {
    const parsed = parseSubscriberCsv(
      Buffer.from('email,name\na@example.org,A\u0007nna\nb@example.org,Berit\n'),
      'x.csv',
    );
    const result = validateRows(parsed.records, LIST_IDS);
    expect(result.rows.map((row) => row.email)).toEqual(['b@example.org']);
    expect(result.rejected).toEqual([
      { line: 2, reason: 'the name contains control or unreadable characters' },
    ]);
  });
});
