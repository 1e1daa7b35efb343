import { createHash } from 'node:crypto';
import type { IssueSummary } from '../assemble/index.ts';

/**
 * A digest of what every issue shows of the others — `IssueSummary`: id, front matter, intro text —
 * and whether drafts are listed. Assembling an issue (teasers, previous/next) and the archive's
 * index and year pages read nothing else of the archive, so while this digest and an issue's own
 * cache key stay the same, its page renders to the same bytes (see `src/cache/outputs.ts`).
 * Editing a section keeps it; editing a title, date, intro or status changes it (and every page
 * is rendered again).
 */
export function summariesDigest(issues: readonly IssueSummary[], drafts: boolean): string {
  const hash = createHash('sha256').update(`summaries 1\0${drafts}\0`);
  for (const issue of issues) {
    // Every field of IssueSummary: `satisfies` fails to compile when the type gains one.
    const summary = {
      id: issue.id,
      // Keys sorted: a cached issue's front matter has them in another order than a parsed one's.
      meta: JSON.stringify(issue.meta, Object.keys(issue.meta).sort()),
      introText: issue.introText,
    } satisfies Record<keyof IssueSummary, unknown>;
    hash.update(JSON.stringify(summary)).update('\0');
  }
  return hash.digest('hex');
}

/** The digest of an output rendered from the archive's summaries and the given parts. */
export function outputDigest(summaries: string, ...parts: string[]): string {
  return createHash('sha256')
    .update(`${summaries}\0${parts.join('\0')}`)
    .digest('hex');
}
