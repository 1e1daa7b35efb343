import type { IssueSummary } from '../assemble/index.ts';
import type { YearGroup } from './web.ts';

/** Above this many issues the archive front page shows the newest years and links to year pages. */
export const ARCHIVE_PAGE_LIMIT = 50;

/** How the archive is split into pages. */
export interface ArchivePages {
  /** Year groups shown on the front page, newest first. */
  front: YearGroup[];
  /** One page per year (every year, newest first); empty when everything fits on the front page. */
  years: YearGroup[];
}

/**
 * Groups issues (newest first) by year and splits the archive: up to `limit` issues it is one
 * page; beyond that the front page shows whole years, newest first, as many as fit in `limit`
 * issues (at least one year), and every year gets its own page. Pure.
 */
export function archivePages(issues: readonly IssueSummary[], limit = ARCHIVE_PAGE_LIMIT): ArchivePages {
  const groups: YearGroup[] = [];
  for (const issue of issues) {
    const year = issue.meta.date.slice(0, 4);
    let group = groups.at(-1);
    if (group?.year !== year) groups.push((group = { year, issues: [] }));
    group.issues.push(issue);
  }
  if (issues.length <= limit) return { front: groups, years: [] };
  const front: YearGroup[] = [];
  let shown = 0;
  for (const group of groups) {
    if (front.length > 0 && shown + group.issues.length > limit) break;
    front.push(group);
    shown += group.issues.length;
  }
  return { front, years: groups };
}
