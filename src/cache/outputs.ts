/**
 * What an earlier build wrote into an output folder, so the next build into the same folder need
 * not render a file again whose inputs did not change: per file (path relative to the folder) a
 * digest of everything it was rendered from (made by the caller), the SHA-256 of the bytes written,
 * and optionally the digest of its search document. Kept in `<cache>/outputs/`, one file per
 * output folder and fingerprint.
 *
 * Safety: a file counts as kept only when its inputs' digest is the one recorded *and* the file
 * still holds the bytes recorded (read and hashed: ≈ 15 ms for 500 issue pages, against ≈ 90 ms to
 * assemble and render them) — so a file edited, removed or replaced since is rendered again, and a
 * record lost or stale costs only the speed-up. Writes go to a temporary file renamed into place.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { pruneLeastRecent } from './prune.ts';

/** A file kept from an earlier build: its bytes, and its search document's digest if recorded. */
export interface KeptFile {
  bytes: Buffer;
  search: string | undefined;
}

interface Written {
  digest: string;
  sha256: string;
  search: string | undefined;
}

interface Memo {
  format: number;
  fingerprint: string;
  files: Record<string, Written>;
}

const FORMAT = 1;
// Records of output folders not built into for this long are removed when another is written.
const MAX_MEMOS = 50;

/** The outputs of earlier builds into one folder (see the module comment). */
export class OutputMemo {
  private readonly now: Record<string, Written> = {};
  private changed = false;

  private constructor(
    private readonly file: string,
    readonly root: string,
    private readonly fingerprint: string,
    private readonly before: Record<string, Written>,
  ) {}

  /** Opens the record of the output folder `root` in the cache folder `cache`. */
  static open(cache: string, root: string, fingerprint: string): OutputMemo {
    const absolute = resolve(root);
    const name = createHash('sha256').update(absolute).digest('hex').slice(0, 24);
    const file = join(cache, 'outputs', `${name}.memo`);
    return new OutputMemo(file, absolute, fingerprint, readMemo(file, fingerprint));
  }

  /**
   * The file at `path` when an earlier build rendered it from inputs with `digest` and it still
   * holds the bytes written then; undefined otherwise (render it, and {@link record} it).
   */
  kept(path: string, digest: string): KeptFile | undefined {
    const record = Object.hasOwn(this.before, path) ? this.before[path] : undefined;
    if (record?.digest !== digest) return undefined;
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(this.root, path));
    } catch {
      return undefined;
    }
    if (sha256(bytes) !== record.sha256) return undefined;
    this.now[path] = record;
    return { bytes, search: record.search };
  }

  /** Records that `content` was written to `path`, rendered from inputs with `digest`. */
  record(path: string, digest: string, content: string | Uint8Array, search?: string): void {
    this.now[path] = { digest, sha256: sha256(content), search };
    this.changed = true;
  }

  /** Saves the records of this build (the files kept or recorded); failures only lose the speed-up. */
  save(): void {
    if (!this.changed && Object.keys(this.now).length === Object.keys(this.before).length) return;
    const memo: Memo = { format: FORMAT, fingerprint: this.fingerprint, files: this.now };
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      const temporary = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(temporary, serialize(memo));
      renameSync(temporary, this.file);
      removeStale(join(this.file, '..'));
    } catch {
      // The record is only ever a shortcut.
    }
  }
}

function readMemo(file: string, fingerprint: string): Record<string, Written> {
  try {
    const memo = deserialize(readFileSync(file)) as Partial<Memo> | null;
    if (memo?.format === FORMAT && memo.fingerprint === fingerprint && memo.files) return memo.files;
  } catch {
    // Missing or unreadable: nothing is kept.
  }
  return {};
}

function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

function removeStale(dir: string): void {
  pruneLeastRecent(
    readdirSync(dir).map((name) => join(dir, name)),
    MAX_MEMOS,
    (path) => unlinkSync(path),
  );
}
