/**
 * How the build cache (see `index.ts`) keeps the compiled issues of one archive folder and config
 * (its scope): an index, `<scope>.pack`, with per issue its key, the images it depends on, and the
 * compiled issue without its content; and each issue's content — the page and feed HTML, 95% of
 * the bytes — in a file of its own, `<scope>/<key>`. Both are `v8.serialize`d.
 *
 * Why: a warm build reads the whole index (≈ 0.5 MB for 500 issues, a few milliseconds) but the
 * content only of the pages it renders again, and writes the index and the content of the issues
 * it compiled — not a 10 MB pack (JSON took ≈ 90 ms to read and as much to write). A content
 * is read on first use of `html` or `feed`; an issue whose content file is gone is not cached.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { CompiledIssue } from '../render/compile.ts';
import { restoreSummary, type IssueSummaryPart } from './restore.ts';

/** A cached issue: its key, the images it depends on (path and SHA-256), and the compiled issue. */
export interface PackEntry {
  key: string;
  images: { path: string; sha256: string }[];
  issue: CompiledIssue;
}

type Content = Pick<CompiledIssue, 'html' | 'feed'>;

interface Index {
  format: number;
  fingerprint: string;
  entries: Record<string, { key: string; images: PackEntry['images']; issue: IssueSummaryPart }>;
}

const FORMAT = 3;

// A content file no index refers to is removed once it is this old (a build of the same archive
// running at the same time may have just written it).
const ORPHAN_MS = 10 * 60 * 1000;

/**
 * A compiled issue read from a pack: where its content is, and the content once read — or, for a
 * spilled issue ({@link spillContent}), only once changed (its feed entry set).
 */
interface Packed {
  file: string;
  bytes: Buffer | undefined;
  content: Content | undefined;
  spilled?: true;
}

const packed = new WeakMap<CompiledIssue, Packed>();

/**
 * The entries of the index `file` (contents in `contents`) when it was made for `fingerprint`;
 * empty when it is missing, another format or fingerprint, or damaged. A damaged content is found
 * only when it is read: that throws, after removing it.
 */
export function readPack(file: string, contents: string, fingerprint: string): Record<string, PackEntry> {
  let index: Partial<Index> | null;
  try {
    index = deserialize(readFileSync(file)) as Partial<Index> | null;
  } catch {
    return {};
  }
  if (index?.format !== FORMAT || index.fingerprint !== fingerprint || !index.entries) return {};
  const entries: Record<string, PackEntry> = {};
  for (const [id, entry] of Object.entries(index.entries)) {
    entries[id] = {
      key: entry.key,
      images: entry.images,
      issue: packedIssue(entry.issue, join(contents, entry.key)),
    };
  }
  return entries;
}

/** True when the content of a packed issue is still on disk (a fresh issue: always). */
export function hasContent(issue: CompiledIssue): boolean {
  const state = packed.get(issue);
  return !state || state.content !== undefined || existsSync(state.file);
}

/**
 * Writes the contents of `entries` that are new or changed into `contents`, then the index
 * `file` (each through a temporary file renamed into place), and removes orphaned contents.
 * Throws when writing fails.
 */
export function writePack(
  file: string,
  contents: string,
  fingerprint: string,
  entries: Record<string, PackEntry>,
): void {
  mkdirSync(contents, { recursive: true });
  const index: Index = { format: FORMAT, fingerprint, entries: {} };
  for (const [id, { key, images, issue }] of Object.entries(entries)) {
    const state = packed.get(issue);
    if (!state || state.content) {
      const bytes = serialize({ html: issue.html, feed: issue.feed } satisfies Content);
      if (!state?.bytes?.equals(bytes)) replace(join(contents, key), bytes);
    }
    index.entries[id] = { key, images, issue: restoreSummary(issue) };
  }
  replace(file, serialize(index));
  const kept = new Set(Object.values(entries).map((entry) => entry.key));
  const now = Date.now();
  for (const name of readdirSync(contents)) {
    if (kept.has(name)) continue;
    try {
      const path = join(contents, name);
      if (now - statSync(path).mtimeMs > ORPHAN_MS) unlinkSync(path);
    } catch {
      // Removed by another build meanwhile.
    }
  }
}

/**
 * A compiled issue read from a pack: a plain object whose `html` and `feed` read its content on
 * first use (own enumerable properties, so it copies and compares like any other).
 */
function packedIssue(summary: IssueSummaryPart, file: string): CompiledIssue {
  const state: Packed = { file, bytes: undefined, content: undefined };
  return withContentFrom(restoreSummary(summary) as CompiledIssue, state);
}

/**
 * Writes the content of a freshly compiled `issue` to `file` now and makes the issue read it back
 * on each use instead of holding it, so a cold build holds no issue's HTML but the one it renders
 * (≈ 30 MB of a 1,000-issue archive). `writePack` leaves the file alone unless the feed entry is
 * set later. Throws when writing fails (the caller keeps the issue as it is).
 */
export function spillContent(issue: CompiledIssue, file: string): CompiledIssue {
  writeContent(issue, file);
  return spilledIssue(issue, file);
}

/** Writes the content of `issue` (its page and feed HTML) to `file`. Throws when writing fails. */
export function writeContent(issue: Content, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  replace(file, serialize({ html: issue.html, feed: issue.feed } satisfies Content));
}

/**
 * `issue` reading its content from `file`, where {@link writeContent} wrote it (a worker thread
 * that compiled the issue): as {@link spillContent} returns it, whatever `issue` holds of it.
 */
export function spilledIssue(issue: Omit<CompiledIssue, keyof Content>, file: string): CompiledIssue {
  const state: Packed = { file, bytes: undefined, content: undefined, spilled: true };
  return withContentFrom({ ...issue } as CompiledIssue, state);
}

// The content of the spilled issue read last: rendering a page reads `html` and `feed` a few
// times over (spreading the issue reads both), one issue after the other.
let recent: { state: Packed; content: Content } | undefined;

function withContentFrom(issue: CompiledIssue, state: Packed): CompiledIssue {
  const id = issue.id;
  const spilled = (): Content => {
    if (recent?.state !== state) recent = { state, content: readContent({ ...state }, id) };
    return recent.content;
  };
  const read = (): Content =>
    state.content ?? (state.spilled ? spilled() : (state.content = readContent(state, id)));
  Object.defineProperties(issue, {
    html: { get: () => read().html, enumerable: true, configurable: true },
    feed: {
      get: () => read().feed,
      set: (feed: string | undefined) => {
        state.content = read();
        state.content.feed = feed;
      },
      enumerable: true,
      configurable: true,
    },
  });
  packed.set(issue, state);
  return issue;
}

function readContent(state: Packed, id: string): Content {
  try {
    state.bytes = readFileSync(state.file);
    const content = deserialize(state.bytes) as Content;
    if (typeof content.html.intro !== 'string' || !Array.isArray(content.html.sections)) {
      throw new TypeError('not the content of a compiled issue');
    }
    return {
      html: { intro: content.html.intro, sections: [...content.html.sections] },
      feed: content.feed ?? undefined,
    };
  } catch (error) {
    try {
      unlinkSync(state.file);
    } catch {
      // Already gone.
    }
    throw new Error(
      `The build cache's content of issue ${id} (${state.file}) is missing or damaged; it was removed, so the next build parses the issue again.`,
      { cause: error },
    );
  }
}

function replace(file: string, bytes: Uint8Array): void {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, file);
}
