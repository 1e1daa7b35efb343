import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { VFile } from 'vfile';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { pointAt, report } from '../report/message.ts';

/** An issue folder as read from disk: `issue.md` and the section files, each a VFile. */
export interface RawIssue {
  id: string;
  dir: string;
  /** `issue.md`; a VFile with an error message when it is missing or unreadable. */
  issueFile: VFile;
  /** Every other `*.md`, ordered by file name. */
  sectionFiles: VFile[];
}

/** Issue ids per DESIGN: `YYYY-MM` (a month 01–12), or `YYYY-MM-b` for a second issue in a month. */
export const ISSUE_ID = /^\d{4}-(?:0[1-9]|1[0-2])(?:-[a-z0-9]+)?$/;

/**
 * Reads an archive folder: one subfolder per issue. A folder that itself holds `issue.md` is read
 * as an archive of that one issue. Content problems (unreadable files, bad encoding) become
 * messages on the files; only an unreadable archive folder throws (`IssuesFolderUnreadable`).
 */
export async function readArchive(dir: string): Promise<RawIssue[]> {
  return Promise.all((await issueFolders(dir)).map((folder) => readIssue(folder)));
}

/**
 * The issue folders of an archive folder, in id order, as {@link readArchive} reads them: the
 * folder itself when it holds `issue.md`. Throws `IssuesFolderUnreadable` like it.
 */
export async function issueFolders(dir: string): Promise<string[]> {
  const root = resolve(dir);
  const entries = await listFolder(root);
  if (entries.some((entry) => entry.name === 'issue.md' && entry.isFile())) return [root];
  // Symlinks count as folders when they are named like an issue (a dangling one gets a message).
  const folders = entries.filter(
    (entry) =>
      !entry.name.startsWith('.') &&
      (entry.isDirectory() || (entry.isSymbolicLink() && ISSUE_ID.test(entry.name))),
  );
  const candidates: string[] = [];
  for (const folder of folders) {
    const path = join(root, folder.name);
    if (ISSUE_ID.test(folder.name) || (await exists(join(path, 'issue.md')))) candidates.push(folder.name);
  }
  candidates.sort();
  return candidates.map((name) => join(root, name));
}

async function listFolder(root: string) {
  try {
    return await readdir(root, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(E.IssuesFolderUnreadable, { root, code }, { cause: error });
  }
}

/**
 * Reads one issue folder. Never throws for content: problems are messages on its files. The
 * files are small and read synchronously (`fs.promises` takes four trips through libuv's thread
 * pool per file, more than the read itself).
 */
export function readIssue(dir: string): Promise<RawIssue> {
  return Promise.resolve(readIssueFiles(dir));
}

function readIssueFiles(dir: string): RawIssue {
  const id = basename(dir);
  const issuePath = join(dir, 'issue.md');
  let names: string[] = [];
  try {
    names = markdownNames(readdirSync(dir, { withFileTypes: true }));
  } catch (error) {
    const file = new VFile({ path: issuePath, value: '' });
    report(file, `Cannot read the issue folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      ruleId: 'read',
      hint: 'Check that the folder exists and that you may read it (permissions).',
    });
    return { id, dir, issueFile: file, sectionFiles: [] };
  }
  const issueFile = names.includes('issue.md') ? readText(issuePath) : missingIssueFile(issuePath);
  const sectionFiles = sectionNames(names).map((name) => readText(join(dir, name)));
  return { id, dir, issueFile, sectionFiles };
}

/** The section files among the `.md` names of an issue folder, in the order they appear. */
export function sectionNames(names: readonly string[]): string[] {
  // Byte order, not locale order: `01-` … `10-` sort as written, the same on every machine.
  return names.filter((name) => name !== 'issue.md').sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The `.md` files of an issue folder that {@link readIssue} reads (hidden files left out). */
export function markdownNames(entries: readonly Dirent[]): string[] {
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && !entry.name.startsWith('.'))
    .map((entry) => entry.name);
}

function missingIssueFile(path: string): VFile {
  const file = new VFile({ path, value: '' });
  report(file, 'Unexpected issue folder without issue.md, expected front matter and the editorial intro', {
    ruleId: 'read',
    place: { line: 1, column: 1 },
    hint: 'Create issue.md with title, date and editor in its front matter (see `nyhetsbrev new`).',
  });
  return file;
}

/** Reads a file as UTF-8. Invalid bytes get an `encoding` error at their line and column. */
export function readText(path: string): VFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const file = new VFile({ path, value: '' });
    report(file, `Cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      ruleId: 'read',
      hint: 'Check that the file exists and that you may read it.',
    });
    return file;
  }
  return textFile(path, bytes);
}

/**
 * A file's bytes as a VFile of UTF-8 text, as {@link readText} makes it: invalid bytes get an
 * `encoding` error at their line and column (and become U+FFFD, so the rest can still be checked).
 */
export function textFile(path: string, bytes: Uint8Array): VFile {
  // The decoder drops a BOM and turns invalid bytes into U+FFFD, so the rest can still be checked.
  const text = new TextDecoder('utf-8').decode(bytes);
  const file = new VFile({ path, value: text });
  const bad = firstInvalidUtf8(bytes);
  if (bad !== -1) {
    const offset = new TextDecoder('utf-8').decode(bytes.subarray(0, bad)).length;
    report(file, `Unexpected bytes that are not UTF-8 (0x${bytes[bad]!.toString(16).toUpperCase()})`, {
      ruleId: 'encoding',
      place: pointAt(text, offset),
      hint: 'Save the file as UTF-8 (in most editors: "Save with encoding" → UTF-8). It was probably written as Windows-1252.',
    });
  }
  return file;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Index of the first byte that starts an invalid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(bytes);
    return -1;
  } catch {
    // Binary search for the longest valid prefix (the decoder is all-or-nothing).
    let low = 0;
    let high = bytes.length;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (isValidPrefix(bytes.subarray(0, mid))) low = mid;
      else high = mid - 1;
    }
    return startOfIncompleteSequence(bytes, low);
  }
}

/**
 * A streaming decode accepts a lead byte whose continuation has not arrived yet, so the longest
 * valid prefix can end inside a sequence; the bad byte is then that sequence's lead byte.
 */
function startOfIncompleteSequence(bytes: Uint8Array, end: number): number {
  let start = end;
  while (start > 0 && end - start < 3 && (bytes[start - 1]! & 0xc0) === 0x80) start--;
  if (start === 0 || (bytes[start - 1]! & 0xc0) !== 0xc0) return end;
  const lead = bytes[start - 1]!;
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  return end - (start - 1) < needed ? start - 1 : end;
}

function isValidPrefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}
