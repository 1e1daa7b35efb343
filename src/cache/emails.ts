/**
 * Emails kept between builds: for each issue of one archive folder and config (see `cacheScope`),
 * the email `build` wrote (HTML and text, with the sample recipient's links) and the digest of
 * what it was rendered from, in `<cache>/emails/<scope>/<id>` (`v8.serialize`d). The digest is
 * made by the caller and covers everything the email is made from, so a hit is the very bytes a
 * render would give (an MJML compile, ≈ 75 ms, saved). Writes go to a temporary file renamed
 * into place; a missing, damaged or stale file is a miss; failing to write only loses the speed-up.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { pruneLeastRecent } from './prune.ts';

/** A built email as written to `email/<id>.html` and `.txt`. */
export interface BuiltEmail {
  html: string;
  text: string;
}

interface Stored extends BuiltEmail {
  format: number;
  digest: string;
}

const FORMAT = 1;
// Folders of archives not built for this long are removed by another archive's build, and the
// oldest beyond this many (test runs build many temporary archives).
const MAX_FOLDERS = 50;
// Safe file names: issue ids are `YYYY-MM` or `YYYY-MM-b`.
const SAFE_ID = /^[\w-]+$/;

/** The kept emails of one archive folder and config. */
export class EmailCache {
  /**
   * @param dir the cache folder
   * @param scope the archive folder and config (`cacheScope`)
   */
  constructor(
    private readonly dir: string,
    private readonly scope: string,
  ) {}

  /** The email kept for `id` when it was rendered from inputs with `digest`. */
  get(id: string, digest: string): BuiltEmail | undefined {
    if (!SAFE_ID.test(id)) return undefined;
    try {
      const stored = deserialize(readFileSync(this.path(id))) as Partial<Stored> | null;
      if (stored?.format !== FORMAT || stored.digest !== digest) return undefined;
      if (typeof stored.html !== 'string' || typeof stored.text !== 'string') return undefined;
      return { html: stored.html, text: stored.text };
    } catch {
      return undefined;
    }
  }

  /** Keeps `email` for `id`, rendered from inputs with `digest`. */
  set(id: string, digest: string, email: BuiltEmail): void {
    if (!SAFE_ID.test(id)) return;
    try {
      mkdirSync(join(this.dir, 'emails', this.scope), { recursive: true });
      const stored: Stored = { format: FORMAT, digest, html: email.html, text: email.text };
      const temporary = `${this.path(id)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(temporary, serialize(stored));
      renameSync(temporary, this.path(id));
    } catch {
      // Read-only folder, full disk: the next build renders the email again.
    }
  }

  /**
   * Removes the emails of issues other than `ids` (no longer in the archive), and the folders of
   * other archives whose emails were last kept 30 days ago, or beyond the 50 kept last.
   */
  prune(ids: readonly string[]): void {
    const keep = new Set(ids);
    const own = join(this.dir, 'emails', this.scope);
    for (const name of entries(own)) {
      if (!keep.has(name)) remove(join(own, name));
    }
    const others = entries(join(this.dir, 'emails'))
      .filter((name) => name !== this.scope)
      .map((name) => join(this.dir, 'emails', name));
    pruneLeastRecent(others, MAX_FOLDERS - 1, remove);
  }

  private path(id: string): string {
    return join(this.dir, 'emails', this.scope, id);
  }
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

// The cache is only ever a shortcut: what cannot be removed stays.
function remove(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Read-only folder, or removed by another build meanwhile.
  }
}
