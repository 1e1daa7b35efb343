/**
 * Search bundles kept between builds: the files Pagefind made for one shard of the search index
 * (see `src/build/search.ts`), stored under their key in `<cache>/search/<key>.bundle`, beside the
 * packs of compiled issues. The key (made by the caller) covers everything the bundle is made
 * from, so a hit is the very bytes Pagefind would write again.
 *
 * A bundle file is: 4 bytes (big-endian length of the header), the header as JSON
 * (`{format, files: [[path, bytes], …]}`), then the files' contents one after the other. A missing,
 * short or foreign file is a miss. Writes go to a temporary file renamed into place, so concurrent
 * builds never read half a bundle; failing to write only loses the speed-up.
 */
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { pruneLeastRecent } from './prune.ts';

/** One file of a search bundle: its path inside the bundle folder and its bytes. */
export interface BundleFile {
  path: string;
  content: Uint8Array;
}

const FORMAT = 1;
const SUFFIX = '.bundle';
// Paths inside the bundle folder only (Pagefind's are like `fragment/sv_3b1d2e8.pf_fragment`).
const SAFE_PATH = /^(?!.*(^|\/)\.\.?(\/|$))[\w.-]+(\/[\w.-]+)*$/;

// Bundles not used for this long are removed when another is written, and the least recently
// used beyond this many: an archive has ≤ ~8 shards, and every edit of the newest issue makes one.
const MAX_BUNDLES = 64;

/** The cached search bundles in one folder (`<cache>/search`). */
export class BundleCache {
  /** @param dir the folder of the bundles; made when the first one is written */
  constructor(readonly dir: string) {}

  /** The files of the bundle with `key`, or undefined when there is none (or it is unreadable). */
  get(key: string): BundleFile[] | undefined {
    const path = this.path(key);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      return undefined;
    }
    const files = decode(bytes);
    if (files) touch(path);
    return files;
  }

  /** Keeps `files` as the bundle with `key` (ignoring failures: the cache is only a shortcut). */
  set(key: string, files: readonly BundleFile[]): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const temporary = `${this.path(key)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(temporary, encode(files));
      renameSync(temporary, this.path(key));
    } catch {
      // Read-only folder, full disk: the next build indexes the shard again.
    }
  }

  /** Removes bundles unused for 30 days, and the least recently used beyond 64. */
  prune(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    pruneLeastRecent(
      names.map((name) => join(this.dir, name)),
      MAX_BUNDLES,
      (path) => unlinkSync(path),
    );
  }

  private path(key: string): string {
    return join(this.dir, `${key}${SUFFIX}`);
  }
}

function encode(files: readonly BundleFile[]): Buffer {
  const header = Buffer.from(
    JSON.stringify({ format: FORMAT, files: files.map((file) => [file.path, file.content.byteLength]) }),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.byteLength);
  return Buffer.concat([length, header, ...files.map((file) => file.content)]);
}

function decode(bytes: Buffer): BundleFile[] | undefined {
  try {
    const length = bytes.readUInt32BE(0);
    const header = JSON.parse(bytes.subarray(4, 4 + length).toString('utf8')) as {
      format: number;
      files: [string, number][];
    };
    if (header.format !== FORMAT || !Array.isArray(header.files)) return undefined;
    let offset = 4 + length;
    const files = header.files.map(([path, size]) => {
      const content = bytes.subarray(offset, offset + size);
      offset += size;
      return { path, content };
    });
    return offset === bytes.byteLength && files.every((file) => SAFE_PATH.test(file.path))
      ? files
      : undefined;
  } catch {
    return undefined;
  }
}

// A used bundle counts as recent, so pruning removes the ones no build asks for any more.
function touch(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // Read-only cache: pruning may then drop it a little early.
  }
}
