import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pruneLeastRecent, STALE_MS } from '../../src/cache/prune.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Files a…e used 1…5 minutes ago, and f used just past the stale age. */
function cacheFolder(now: number): string[] {
  dir = mkdtempSync(join(tmpdir(), 'nyhetsbrev-prune-'));
  const ages = { a: 1, b: 2, c: 3, d: 4, e: 5 };
  const paths = Object.entries(ages).map(([name, minutes]) => {
    const path = join(dir!, name);
    writeFileSync(path, name);
    utimesSync(path, new Date(now - minutes * 60_000), new Date(now - minutes * 60_000));
    return path;
  });
  const stale = join(dir, 'f');
  writeFileSync(stale, 'f');
  utimesSync(stale, new Date(now - STALE_MS - 60_000), new Date(now - STALE_MS - 60_000));
  return [...paths, stale];
}

describe('pruning a cache folder', () => {
  it('keeps the most recently used entries and removes the rest and every stale one', () => {
    const now = Date.now();
    const paths = cacheFolder(now);
    pruneLeastRecent(paths, 3, (path) => rmSync(path), now);
    expect(readdirSync(dir!).sort()).toEqual(['a', 'b', 'c']);
  });

  it('removes a stale entry even when there is room, and skips entries already gone', () => {
    const now = Date.now();
    const paths = cacheFolder(now);
    rmSync(paths[0]!); // another build removed it meanwhile
    pruneLeastRecent([...paths, join(dir!, 'never-there')], 10, (path) => rmSync(path), now);
    expect(readdirSync(dir!).sort()).toEqual(['b', 'c', 'd', 'e']);
  });
});
