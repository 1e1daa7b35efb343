import { basename, resolve } from 'node:path';
import { VFile } from 'vfile';
import { publishedNewestFirst } from '../assemble/index.ts';
import { fingerprint, IssueCache, issueKey } from '../cache/index.ts';
import type { Config } from '../config/schema.ts';
import { parseIssue } from '../parse/index.ts';
import { issueFolders, readIssue } from '../read/index.ts';
import { scanIssue, type ScannedIssue } from '../read/scan.ts';
import { compileIssue, type CompiledIssue } from './compile.ts';
import { FEED_ENTRIES, feedEntryHtml } from './feed.ts';
import { compileInParallel } from './parallel.ts';

/**
 * An archive folder compiled for the web archive; `files` with the messages `loadArchive` gives
 * (the value of a file without messages is its bytes, not decoded).
 */
export interface CompiledArchive {
  dir: string;
  /** Compiled issues in id order; issues whose `issue.md` is unusable are left out. */
  issues: CompiledIssue[];
  files: VFile[];
  /**
   * The cache key (see `src/cache`) of each issue compiled without messages: a digest of
   * everything it was compiled from.
   */
  keys: Map<string, string>;
}

/** Options of {@link compileArchive}. */
export interface CompileOptions {
  /** Cache folder, or false for none. */
  cache: string | false;
  /** Worker threads besides the main one (default: one per further core). */
  threads?: number | undefined;
}

interface Slot {
  folder: string;
  scanned: ScannedIssue | undefined;
  key: string;
  compiled: CompiledIssue | undefined;
}

/**
 * read → parse → the per-issue half of render, for a whole archive folder: unchanged issues come
 * from the cache, the others are compiled on every core. Issues with messages (and folders that
 * cannot be read as usual) go through `readIssue` + `parseIssue` on the main thread, so `files`
 * carry exactly the messages `loadArchive` gives. The feed entries of the newest published issues
 * are always there.
 */
export async function compileArchive(
  dir: string,
  config: Config,
  options: CompileOptions,
): Promise<CompiledArchive> {
  const folders = await issueFolders(dir);
  const print = fingerprint(config);
  const cache = options.cache ? IssueCache.open(options.cache, resolve(dir), config, print) : undefined;
  const slots: Slot[] = folders.map((folder) => {
    const scanned = scanIssue(folder);
    const key = scanned ? issueKey(print, scanned.dir, scanned.paths, scanned.bytes) : '';
    return { folder, scanned, key, compiled: scanned && cache?.get(scanned.id, key) };
  });

  // Feed entries are made with the issue for the newest ids (ids follow dates, nearly always);
  // any other issue that turns out to be among the newest is parsed again below.
  const likelyInFeed = new Set(
    folders
      .map((folder) => basename(folder))
      .sort()
      .slice(-2 * FEED_ENTRIES),
  );
  const misses = slots.filter((slot) => slot.scanned && !slot.compiled);
  const jobs = misses.map(({ scanned }) => ({ ...scanned!, feed: likelyInFeed.has(scanned!.id) }));
  const compiled = await compileInParallel(jobs, config, { threads: options.threads });
  misses.forEach((slot, index) => {
    slot.compiled = compiled[index];
    if (slot.compiled) cache?.set(slot.scanned!.id, slot.key, slot.compiled);
  });

  const issues: CompiledIssue[] = [];
  const files: VFile[] = [];
  const keys = new Map<string, string>();
  for (const slot of slots) {
    if (slot.compiled && slot.scanned) {
      // Without messages these files are only counted: their bytes are not decoded (5,500 files
      // of a 500-issue archive take ≈ 20 ms to decode).
      files.push(
        ...slot.scanned.paths.map((path, index) => new VFile({ path, value: slot.scanned!.bytes[index] })),
      );
      issues.push(slot.compiled);
      keys.set(slot.compiled.id, slot.key);
      continue;
    }
    const result = parseIssue(await readIssue(slot.folder), config);
    files.push(...result.files);
    if (result.issue) issues.push(compileIssue(result.issue, config, { feed: true }));
  }

  for (const issue of publishedNewestFirst(issues).slice(0, FEED_ENTRIES)) {
    if (issue.feed !== undefined) continue;
    const parsed = parseIssue(await readIssue(issue.dir), config).issue;
    if (!parsed) continue;
    issue.feed = feedEntryHtml(parsed, config);
    // Only issues without messages have a slot with this very object; they are cached.
    const slot = slots.find((candidate) => candidate.compiled === issue);
    if (slot) cache?.set(issue.id, slot.key, issue);
  }
  cache?.save();
  return { dir, issues, files, keys };
}
