/** An HTML page to index: its path under the site root and its content. */
export interface SearchPage {
  path: string;
  html: string;
}

/** A part of the search index with a Pagefind bundle of its own (see {@link planShards}). */
export interface SearchShard<T extends { path: string } = SearchPage> {
  /** The newest year (`2026`) for the main shard, else a decade (`2010-2019`). */
  name: string;
  /** The main bundle is `pagefind/`, which the browser loads; the others are `pagefind/<name>/`. */
  main: boolean;
  /** Its pages, in path order. */
  pages: T[];
}

/**
 * Splits the pages of the archive into search shards by the year their path (the issue id)
 * starts with: the newest year is the main shard, every earlier year goes to the shard of its
 * decade. Pages whose path starts with no year belong to the main shard, which always exists (it
 * may be empty). Returns the main shard first, then the decades newest first. Pure.
 *
 * Why this split: a build nearly always changes only the newest issue, so only the newest year's
 * shard (≤ 12 pages for a monthly) needs Pagefind again, which takes well under 100 ms instead of
 * seconds for the whole archive. Decade boundaries never move, so an old shard is indexed again
 * only when one of its issues is edited, and once a year, when the past year joins its decade.
 * The browser fetches a few small files per shard, so shards are few: a monthly archive of 500
 * issues spans 42 years, at most 6 decades + the newest year = 7 bundles. Splitting by count
 * (blocks of N issues) would keep shards even, but one deleted or inserted issue would shift every
 * later boundary and index them all again.
 */
export function planShards<T extends { path: string }>(pages: readonly T[]): SearchShard<T>[] {
  const sorted = [...pages].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const years = sorted.map((page) => yearOf(page.path));
  const newest = Math.max(...years.filter((year) => year !== undefined));
  const main: SearchShard<T> = { name: String(newest), main: true, pages: [] };
  const decades = new Map<number, SearchShard<T>>();
  sorted.forEach((page, index) => {
    const year = years[index];
    if (year === undefined || year === newest) {
      main.pages.push(page);
      return;
    }
    const decade = year - (year % 10);
    let shard = decades.get(decade);
    if (!shard) {
      shard = { name: `${decade}-${decade + 9}`, main: false, pages: [] };
      decades.set(decade, shard);
    }
    shard.pages.push(page);
  });
  if (!Number.isFinite(newest)) main.name = 'main';
  return [main, ...[...decades.entries()].sort((a, b) => b[0] - a[0]).map(([, shard]) => shard)];
}

function yearOf(path: string): number | undefined {
  const match = /^(\d{4})-/.exec(path);
  return match ? Number(match[1]) : undefined;
}
