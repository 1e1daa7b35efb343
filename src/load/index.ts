/**
 * The loading step of `build`: read → parse → compile (the per-issue half of render, see
 * `compileIssue`) for a whole archive folder, with the build cache and worker threads as options.
 * The emails of its issues are rendered the same way (`renderEmails`, `emails.ts`).
 */
import { basename, resolve } from 'node:path';
import { VFile } from 'vfile';
import { publishedNewestFirst } from '../assemble/index.ts';
import { fingerprint, IssueCache, issueKey } from '../cache/index.ts';
import type { Config } from '../config/schema.ts';
import { issueFolders } from '../read/index.ts';
import { scanIssue, type ScannedIssue } from '../read/scan.ts';
import { compileIssue, type CompiledIssue } from '../render/compile.ts';
import { FEED_ENTRIES, feedEntryHtml } from '../render/feed-entry.ts';
import { isWritten, loadIssue } from './jobs.ts';
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
export interface LoadOptions {
  /** Cache folder (see `src/cache`), or false for none. */
  cache: string | false;
  /** Worker threads besides the main one (default: one per further core). */
  threads?: number | undefined;
}

/** One issue folder on its way through {@link compileArchive}. */
interface Slot {
  folder: string;
  scanned: ScannedIssue | undefined;
  key: string;
  compiled: CompiledIssue | undefined;
}

/**
 * read → parse → compile, for a whole archive folder: unchanged issues come from the cache, the
 * others are compiled on every core. Issues with messages (and folders that cannot be read as
 * usual) go through `loadIssue` on the main thread, so `files` carry exactly the
 * messages `loadArchive` gives. The feed entries of the newest published issues are always there.
 */
export async function compileArchive(
  dir: string,
  config: Config,
  options: LoadOptions,
): Promise<CompiledArchive> {
  const folders = await issueFolders(dir);
  const print = fingerprint(config);
  const cache = options.cache ? IssueCache.open(options.cache, resolve(dir), config, print) : undefined;
  const slots: Slot[] = folders.map((folder) => {
    const scanned = scanIssue(folder);
    const key = scanned ? issueKey(print, scanned.dir, scanned.paths, scanned.bytes) : '';
    return { folder, scanned, key, compiled: scanned && cache?.get(scanned.id, key) };
  });
  await compileMisses(slots, config, options, cache);
  const archive = await collect(dir, slots, config);
  await addFeedEntries(archive.issues, slots, config, cache);
  cache?.save();
  return archive;
}

/** Compiles the slots the cache did not have, on every core, and keeps them in the cache. */
async function compileMisses(
  slots: Slot[],
  config: Config,
  options: LoadOptions,
  cache: IssueCache | undefined,
): Promise<void> {
  // Feed entries are made with the issue for the newest ids (ids follow dates, nearly always);
  // any other issue that turns out to be among the newest is parsed again by `addFeedEntries`.
  const likelyInFeed = new Set(
    slots
      .map((slot) => basename(slot.folder))
      .sort()
      .slice(-2 * FEED_ENTRIES),
  );
  const misses = slots.filter((slot) => slot.scanned && !slot.compiled);
  const jobs = misses.map(({ scanned, key }) => ({
    ...scanned!,
    feed: likelyInFeed.has(scanned!.id),
    content: cache?.contentFile(key),
  }));
  // Each issue goes into the cache as it comes, its HTML to disk (`IssueCache.keep`) — by the
  // worker thread that compiled it, or here.
  const settle = (index: number, result: unknown) => {
    const slot = misses[index]!;
    if (isWritten(result)) return cache!.keepWritten(slot.scanned!.id, slot.key, result.issue);
    const issue = result as CompiledIssue | undefined;
    return issue && cache ? cache.keep(slot.scanned!.id, slot.key, issue) : issue;
  };
  const compiled = await compileInParallel(jobs, config, { threads: options.threads, settle });
  misses.forEach((slot, index) => (slot.compiled = compiled[index]));
}

/** The archive of the slots: compiled ones as they are, the others read and parsed again. */
async function collect(dir: string, slots: readonly Slot[], config: Config): Promise<CompiledArchive> {
  const issues: CompiledIssue[] = [];
  const files: VFile[] = [];
  const keys = new Map<string, string>();
  for (const { folder, scanned, key, compiled } of slots) {
    if (compiled && scanned) {
      // Without messages these files are only counted: their bytes are not decoded (5,500 files
      // of a 500-issue archive take ≈ 20 ms to decode).
      files.push(...scanned.paths.map((path, index) => new VFile({ path, value: scanned.bytes[index] })));
      issues.push(compiled);
      keys.set(compiled.id, key);
      continue;
    }
    const result = await loadIssue(folder, config);
    files.push(...result.files);
    if (result.issue) issues.push(compileIssue(result.issue, config, { feed: true }));
  }
  return { dir, issues, files, keys };
}

/** Renders the feed entries the newest published issues lack (and keeps them in the cache). */
async function addFeedEntries(
  issues: readonly CompiledIssue[],
  slots: readonly Slot[],
  config: Config,
  cache: IssueCache | undefined,
): Promise<void> {
  for (const issue of publishedNewestFirst(issues).slice(0, FEED_ENTRIES)) {
    if (issue.feed !== undefined) continue;
    const parsed = (await loadIssue(issue.dir, config)).issue;
    if (!parsed) continue;
    issue.feed = feedEntryHtml(parsed, config);
    // Only issues without messages have a slot with this very object; they are cached.
    const slot = slots.find((candidate) => candidate.compiled === issue);
    if (slot) cache?.set(issue.id, slot.key, issue);
  }
}
