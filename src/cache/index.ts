/**
 * The build cache: what the web archive needs of each issue (`CompiledIssue`), kept between
 * builds so unchanged issues are neither parsed nor rendered again. One pack file per archive
 * folder and config, in `node_modules/.cache/nyhetsbrev/` (see {@link defaultCacheDir}); its
 * layout is in `pack.ts`.
 *
 * Safety: an entry is used only when its key matches — a hash of the issue's Markdown files
 * (names and bytes), its folder, and {@link fingerprint} (our sources, templates, dependencies,
 * Node/ICU and the config) — and every image it uses still has the bytes it had. Issues with any
 * message are never cached. A missing, unreadable or foreign pack (another format or Node
 * version: the fingerprint covers Node's) is an empty cache; writes go
 * to a temporary file renamed into place, so concurrent builds never read half a pack. The
 * search index's shards are kept beside the packs, in `search/` (see `search-bundles.ts`).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { CompiledIssue } from '../render/compile.ts';
import type { Config } from '../config/schema.ts';
import { hasContent, readPack, spillContent, spilledIssue, writePack, type PackEntry } from './pack.ts';
import { pruneLeastRecent } from './prune.ts';

export { fingerprint } from './fingerprint.ts';

// Bump when what a key covers changes.
const FORMAT = 1;

// Packs of archives not built for this long are removed when another pack is written, and the
// oldest beyond this many (test runs build many temporary archives).
const MAX_PACKS = 50;
const PACK = '.pack';

/**
 * Where the cache lives, the first given of: `--cache-dir DIR` (`flag`; `--no-cache` is false),
 * `$NYHETSBREV_CACHE` (a folder; `off`, `0` or `false` disables it), the config's `cache.dir`
 * (resolved against the config file's folder); else `node_modules/.cache/nyhetsbrev` of the
 * nearest folder up from `cwd` that has `node_modules` (git-ignored with it), else
 * `nyhetsbrev-cache` in the system's temporary folder. Relative folders resolve against `cwd`.
 */
export function defaultCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  { flag, config }: { flag?: string | boolean | undefined; config?: Pick<Config, 'cache'> } = {},
): string | false {
  if (flag === false) return false;
  if (typeof flag === 'string' && flag.trim()) return resolve(cwd, flag.trim());
  const value = env.NYHETSBREV_CACHE?.trim();
  if (value === 'off' || value === '0' || value === 'false') return false;
  if (value) return resolve(cwd, value);
  if (config?.cache?.dir) return config.cache.dir;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'nyhetsbrev');
    if (dirname(dir) === dir) break;
  }
  return join(tmpdir(), 'nyhetsbrev-cache');
}

/** The key of an issue's files: see the module comment. */
export function issueKey(
  fingerprint: string,
  dir: string,
  paths: readonly string[],
  bytes: readonly Uint8Array[],
): string {
  const hash = createHash('sha256').update(`${FORMAT}\0${fingerprint}\0${dir}\0`);
  paths.forEach((path, index) => {
    const content = bytes[index]!;
    hash.update(`${basename(path)}\0${content.byteLength}\0`).update(content);
  });
  return hash.digest('hex');
}

/** What the cache keeps apart: one archive folder (absolute) with one config. */
export function cacheScope(archiveDir: string, config: Config): string {
  return createHash('sha256')
    .update(`${archiveDir}\0${JSON.stringify({ ...config, cache: undefined })}`)
    .digest('hex')
    .slice(0, 24);
}

/** The compiled issues of one archive folder and config, loaded from and saved to one pack file. */
export class IssueCache {
  private readonly entries: Record<string, PackEntry>;
  private readonly used = new Set<string>();
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly contents: string,
    private readonly fingerprint: string,
  ) {
    this.entries = readPack(file, contents, fingerprint);
  }

  /**
   * Opens the pack of `archiveDir` (absolute) and `config` in `dir`: empty when there is none or
   * it was made for another `fingerprint` (then this build's pack replaces it).
   */
  static open(dir: string, archiveDir: string, config: Config, fingerprint: string): IssueCache {
    const scope = cacheScope(archiveDir, config);
    return new IssueCache(join(dir, `${scope}${PACK}`), join(dir, scope), fingerprint);
  }

  /** The cached issue of `id` when its key matches and its images are unchanged. */
  get(id: string, key: string): CompiledIssue | undefined {
    const entry = Object.hasOwn(this.entries, id) ? this.entries[id] : undefined;
    if (
      !entry ||
      entry.key !== key ||
      !hasContent(entry.issue) ||
      !entry.images.every((image) => sha256Of(image.path) === image.sha256)
    ) {
      return undefined;
    }
    this.used.add(id);
    return entry.issue;
  }

  /** Keeps `issue` for `id` (its images are hashed now, as they were read for it). */
  set(id: string, key: string, issue: CompiledIssue): void {
    const images = issue.images.map((image) => ({
      path: image.source,
      sha256: sha256Of(image.source) ?? '',
    }));
    this.entries[id] = { key, images, issue };
    this.used.add(id);
    this.changed = true;
  }

  /**
   * {@link set}, and the issue back with its content written to the cache already and read from
   * there when used (`spillContent`): what `compileArchive` keeps of a freshly compiled issue, so
   * a cold build does not hold every page's HTML. When writing fails, the issue as it is.
   */
  keep(id: string, key: string, issue: CompiledIssue): CompiledIssue {
    let kept = issue;
    try {
      kept = spillContent(issue, this.contentFile(key));
    } catch {
      // The cache is only ever a shortcut: the issue stays in memory, written with the pack.
    }
    this.set(id, key, kept);
    return kept;
  }

  /** Where {@link keep} writes the content of the issue of `key` (a worker may write it there). */
  contentFile(key: string): string {
    return join(this.contents, key);
  }

  /** {@link keep} for an issue whose content a worker wrote to `contentFile(key)` already. */
  keepWritten(id: string, key: string, issue: Omit<CompiledIssue, 'html' | 'feed'>): CompiledIssue {
    const kept = spilledIssue(issue, this.contentFile(key));
    this.set(id, key, kept);
    return kept;
  }

  /**
   * Writes the pack when anything changed, keeping only the issues used by this build (the pack
   * mirrors the archive). Failing to write (read-only folder, full disk) only loses the speed-up.
   */
  save(): void {
    const entries: Record<string, PackEntry> = {};
    for (const id of [...this.used].sort()) entries[id] = this.entries[id]!;
    if (!this.changed && Object.keys(entries).length === Object.keys(this.entries).length) return;
    try {
      writePack(this.file, this.contents, this.fingerprint, entries);
      removeStale(dirname(this.file));
    } catch {
      // The cache is only ever a shortcut.
    }
  }
}

function sha256Of(path: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

function removeStale(dir: string): void {
  // Only files: folders are the packs' contents, or other caches (`search/`, `outputs/`, `emails/`)
  // pruned on their own.
  const packs = readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => {
      try {
        return statSync(path).isFile();
      } catch {
        return false; // removed by another build meanwhile
      }
    });
  pruneLeastRecent(packs, MAX_PACKS, (path) => {
    unlinkSync(path);
    if (path.endsWith(PACK)) rmSync(path.slice(0, -PACK.length), { recursive: true, force: true });
  });
}
