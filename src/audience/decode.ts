import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';

/** Encodings {@link decodeCsv} recognises. */
export type CsvEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/** Larger files are refused: the network's lists have thousands of rows, not millions. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;
/** Longer lines are refused: a subscriber row is an address, a name and a few other columns. */
export const MAX_LINE_CHARS = 64 * 1024;

const SIGNATURES: [bytes: number[], what: string][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (an Excel .xlsx workbook?)'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Excel .xls workbook'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
];

/**
 * Decodes the bytes of a CSV file to text with `\n` line ends and no BOM. UTF-8 (with or without
 * BOM) is tried first; bytes that are not valid UTF-8 are read as Windows-1252 (what Swedish Excel
 * writes by default); a UTF-16 BOM selects UTF-16. Throws `ImportFailed` for a file that mixes
 * UTF-8 and another encoding (with the line of the first line that is not UTF-8), binary files (NUL or
 * many control bytes, known workbook/PDF signatures), files over 100 MB and lines over 64 KiB —
 * hostile or wrong input is refused before parsing, so it cannot exhaust time or memory.
 */
export function decodeCsv(bytes: Buffer, file: string): { text: string; encoding: CsvEncoding } {
  if (bytes.length > MAX_FILE_BYTES) {
    throw new UserError(E.CsvTooLarge, {
      file,
      megabytes: Math.round(bytes.length / 1024 / 1024),
      limit: MAX_FILE_BYTES / 1024 / 1024,
    });
  }
  for (const [signature, what] of SIGNATURES) {
    if (signature.every((byte, index) => bytes[index] === byte))
      throw new UserError(E.CsvWorkbook, { file, what });
  }
  let encoding: CsvEncoding;
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    [encoding, text] = ['utf-16le', iconv.decode(bytes, 'utf-16le')];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff)
    [encoding, text] = ['utf-16be', iconv.decode(bytes, 'utf-16be')];
  else if (bytes.includes(0)) {
    throw new UserError(E.CsvNulBytes, { file });
  } else if (isUtf8(bytes)) {
    [encoding, text] = ['utf-8', new TextDecoder('utf-8').decode(bytes)];
  } else {
    [encoding, text] = ['windows-1252', iconv.decode(bytes, 'win1252')];
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const controls = text.match(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g)?.length ?? 0;
  // A stray control character is a bad row (reported by line); many of them mean a binary file.
  if (controls >= Math.max(8, text.length / 100)) {
    throw new UserError(E.CsvBinary, { file, controls });
  }
  if (encoding === 'windows-1252') refuseMixed(bytes, file);
  checkLineLengths(text, file);
  return { text, encoding };
}

/**
 * Refuses bytes that are not UTF-8 as a whole but have lines that are (or a UTF-8 BOM): a file
 * pasted together from two sources. Read as Windows-1252, its UTF-8 lines would turn "Åsa" into
 * "Ã…sa" for good; refused, it names the first line that is not UTF-8. Lines are numbered as
 * after decoding (`\r\n`, `\r` and `\n` each end one), like the rows' line numbers.
 */
function refuseMixed(bytes: Buffer, file: string): void {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  let utf8Line: number | undefined = bom ? 1 : undefined;
  let otherLine: number | undefined;
  let line = 1;
  let start = 0;
  for (let end = 0; end <= bytes.length && (utf8Line === undefined || otherLine === undefined); end++) {
    const byte = bytes[end];
    if (end < bytes.length && byte !== 0x0a && byte !== 0x0d) continue;
    const segment = bytes.subarray(start, end);
    if (segment.some((b) => b >= 0x80)) {
      if (isUtf8(segment)) utf8Line ??= line;
      else otherLine ??= line;
    }
    if (byte === 0x0d && bytes[end + 1] === 0x0a) end++;
    line++;
    start = end + 1;
  }
  if (utf8Line === undefined || otherLine === undefined) return;
  const utf8 =
    bom && utf8Line === 1 ? 'the file starts with a UTF-8 byte order mark' : `line ${utf8Line} is UTF-8`;
  throw new UserError(E.CsvMixedEncoding, { file, line: otherLine, utf8 }, { place: `${file}:${otherLine}` });
}

function checkLineLengths(text: string, file: string): void {
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    const end = text.indexOf('\n', start);
    const length = (end === -1 ? text.length : end) - start;
    if (length > MAX_LINE_CHARS) {
      throw new UserError(
        E.CsvLongLine,
        { file, length, limit: MAX_LINE_CHARS },
        { place: `${file}:${line}` },
      );
    }
    if (end === -1) break;
    start = end + 1;
  }
}
