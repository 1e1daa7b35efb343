import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { markdownNames, sectionNames, textFile, type RawIssue } from './index.ts';

/** An issue folder's Markdown files as bytes: `issue.md` first, then the sections in order. */
export interface IssueBytes {
  id: string;
  dir: string;
  paths: string[];
  bytes: Uint8Array[];
}

/** {@link IssueBytes} as read from disk. */
export interface ScannedIssue extends IssueBytes {
  bytes: Buffer[];
}

/**
 * Reads the bytes of the files {@link readIssue} would read, for content hashing, without
 * decoding them. Undefined when the folder or a file cannot be read or `issue.md` is missing:
 * `readIssue` then reads it and turns the problem into a message. Synchronous: a few thousand
 * small reads finish sooner without a promise each.
 */
export function scanIssue(dir: string): ScannedIssue | undefined {
  try {
    const names = markdownNames(readdirSync(dir, { withFileTypes: true }));
    if (!names.includes('issue.md')) return undefined;
    const paths = [join(dir, 'issue.md'), ...sectionNames(names).map((name) => join(dir, name))];
    return { id: basename(dir), dir, paths, bytes: paths.map((path) => readFileSync(path)) };
  } catch {
    return undefined;
  }
}

/**
 * A scanned issue's files as {@link readIssue} gives them: decoded as UTF-8 (invalid bytes get an
 * `encoding` message), `issue.md` first.
 */
export function rawIssueOf(scanned: IssueBytes): RawIssue {
  const [issueFile, ...sectionFiles] = scanned.paths.map((path, index) =>
    textFile(path, scanned.bytes[index]!),
  );
  return { id: scanned.id, dir: scanned.dir, issueFile: issueFile!, sectionFiles };
}
