import { statSync } from 'node:fs';

/** Cache entries not used for this long are removed when the cache is next written. */
export const STALE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Keeps the `keep` most recently used of `paths` (by modification time, which a use refreshes)
 * that were used within {@link STALE_MS}, and calls `remove` for the rest. Entries another build
 * removed meanwhile are skipped, and so is a `remove` that finds one gone.
 */
export function pruneLeastRecent(
  paths: readonly string[],
  keep: number,
  remove: (path: string) => void,
  now = Date.now(),
): void {
  const entries = paths.flatMap((path) => {
    try {
      return [{ path, mtimeMs: statSync(path).mtimeMs }];
    } catch {
      return []; // removed by another build meanwhile
    }
  });
  entries.sort((a, b) => b.mtimeMs - a.mtimeMs);
  entries.forEach((entry, index) => {
    if (index < keep && now - entry.mtimeMs <= STALE_MS) return;
    try {
      remove(entry.path);
    } catch {
      // Removed by another build meanwhile.
    }
  });
}
