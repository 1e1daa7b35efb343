/**
 * Results kept by what they were made from: MJML's compile and validation of an email, Handlebars'
 * compile of a template. Each entry is keyed by a hash of what was asked and what answers it — the
 * packages as installed (the lockfile npm keeps in node_modules) and Node — so a hit is the very
 * result the work would give. Off until a command turns it on ({@link useResultCache}) with the
 * build cache folder; the library's callers and the tests do the work every time.
 *
 * Entries live in `<cache>/results/`, one JSON file each, written to a temporary file renamed into
 * place; a missing, damaged or foreign entry is a miss, and failing to write only loses the
 * speed-up. A folder another user owns, or others may write to (it or one above it), is not
 * used, nor an entry reached through a symlink or writable by others: a compiled template is code.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  futimesSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { lockfilePath, ROOT } from './fingerprint.ts';
import { pruneLeastRecent } from './prune.ts';

// Bump when what is kept, or how it is keyed, changes.
const FORMAT = 1;
// Entries kept; the least recently used beyond this are removed when one is written.
const MAX_ENTRIES = 400;

let folder: string | false = false;
let installed: string | undefined;

/** Keeps results in `<dir>/results/` (`dir`: a build cache folder), or nowhere with `false`. */
export function useResultCache(dir: string | false): void {
  folder = dir === false ? false : join(dir, 'results');
}

/** The folder given to {@link useResultCache} (false: off), for a child process to use too. */
export function resultCacheDir(): string | false {
  return folder === false ? false : dirname(folder);
}

/** The key of a result of `kind` made from `parts`; undefined while the cache is off. */
export function resultKey(kind: string, ...parts: string[]): string | undefined {
  if (folder === false) return undefined;
  installed ??= installedKey();
  const hash = createHash('sha256').update(`${FORMAT}\0${installed}\0${kind}`);
  for (const part of parts) hash.update(`\0${part.length}\0`).update(part);
  return hash.digest('hex');
}

/** The result kept under `key`, or undefined. A hit refreshes its time (see `pruneLeastRecent`). */
export function recall(key: string | undefined): unknown {
  if (key === undefined || folder === false || !usable(folder)) return undefined;
  let fd: number | undefined;
  try {
    const path = join(folder, `${key}.json`);
    // Not through a symlink, and only a file of ours nobody else may write to.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    if (!private_(fstatSync(fd), 'file')) return undefined;
    const entry = JSON.parse(readFileSync(fd, 'utf8')) as { key?: unknown; value?: unknown } | null;
    if (entry?.key !== key) return undefined;
    const now = new Date();
    futimesSync(fd, now, now);
    return entry.value;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Keeps `value` (JSON data) under `key`. */
export function keep(key: string | undefined, value: unknown): void {
  if (key === undefined || folder === false) return;
  const dir = folder;
  const path = join(dir, `${key}.json`);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!usable(dir)) return;
    writeFileSync(temporary, JSON.stringify({ key, value }), { mode: 0o600, flag: 'wx' });
    renameSync(temporary, path);
    const entries = readdirSync(dir).filter((name) => name.endsWith('.json'));
    if (entries.length > MAX_ENTRIES)
      pruneLeastRecent(
        entries.map((name) => join(dir, name)),
        MAX_ENTRIES,
        (stale) => rmSync(stale, { force: true }),
      );
  } catch {
    rmSync(temporary, { force: true });
  }
}

/**
 * The results folder is a real folder of ours that nobody else may write to, and so is every
 * folder above it, but for root's and sticky ones (/tmp: others can add, not rename ours): the
 * fallback cache folder is in the shared temporary folder, and a precompiled template is code.
 * Checked at every use (a few `stat`s).
 */
function usable(dir: string): boolean {
  try {
    if (!private_(lstatSync(dir), 'directory')) return false;
    for (let above = dirname(dir); ; above = dirname(above)) {
      const stats = statSync(above);
      const owner = stats.uid === process.getuid?.() || stats.uid === 0;
      if (!owner || ((stats.mode & 0o022) !== 0 && (stats.mode & 0o1000) === 0)) return false;
      if (dirname(above) === above) return true;
    }
  } catch {
    return false;
  }
}

function private_(stats: Stats, kind: 'file' | 'directory'): boolean {
  const uid = process.getuid?.();
  const isKind = kind === 'file' ? stats.isFile() : stats.isDirectory();
  return isKind && (uid === undefined || stats.uid === uid) && (stats.mode & 0o022) === 0;
}

function installedKey(): string {
  const hash = createHash('sha256').update(`node ${process.version}\0`);
  const lockfile = lockfilePath();
  if (lockfile) hash.update(readFileSync(join(ROOT, lockfile)));
  return hash.digest('hex');
}
