import type { Config } from '../config/schema.ts';
import type { Issue, ParsedIssue, Section, Teaser, TocEntry } from '../model.ts';
import { excerpt } from '../text/excerpt.ts';

/** Teaser excerpts are cut at a word boundary to at most this many characters (DESIGN). */
export const TEASER_EXCERPT_MAX = 250;

/** What assembling needs of the other issues of the archive: id, front matter, intro text. */
export type IssueSummary = Pick<ParsedIssue, 'id' | 'meta' | 'introText'>;

/** What assembling needs of the issue itself: a summary and its section titles. */
export type AssembleInput = IssueSummary & {
  sections: readonly Pick<Section, 'title' | 'slug' | 'summary'>[];
};

/** What assembling adds to an issue. */
export type Assembled = Pick<Issue, 'toc' | 'teasers' | 'previous' | 'next' | 'url'>;

/**
 * Assembles an issue for rendering: table of contents and teasers, derived from the issue and the
 * whole archive. Pure: same inputs, same result. `published` is `publishedNewestFirst(archive)`,
 * passed in by callers that assemble every issue of a large archive so it is sorted once.
 */
export function assembleIssue<T extends AssembleInput>(
  issue: T,
  archive: readonly IssueSummary[],
  config: Config,
  published: readonly IssueSummary[] = publishedNewestFirst(archive),
): T & Assembled {
  const toc: TocEntry[] = issue.sections.map(({ title, slug, summary }) => ({ title, slug, summary }));
  const others = published.filter((other) => other.id !== issue.id);
  const before = others.filter((other) => compareIssues(other, issue) < 0);
  const after = others.filter((other) => compareIssues(other, issue) > 0);
  const teaser = (other: IssueSummary) => toTeaser(other, config);
  return {
    ...issue,
    toc,
    teasers: {
      email: before.slice(0, config.teasers).map(teaser),
      web: others.slice(0, config.teasers).map(teaser),
    },
    previous: before[0] ? teaser(before[0]) : undefined,
    next: after.at(-1) ? teaser(after.at(-1)!) : undefined,
    url: issueUrl(issue.id, config),
  };
}

/**
 * What rendering an issue reads of the rest of the archive: every issue's summary, and the
 * published ones newest first (sorted once per archive, not once per issue).
 */
export interface ArchiveContext<T extends IssueSummary = IssueSummary> {
  issues: readonly T[];
  published: readonly T[];
}

/** The {@link ArchiveContext} of an archive's issues. */
export function archiveContext<T extends IssueSummary>(issues: readonly T[]): ArchiveContext<T> {
  return { issues, published: publishedNewestFirst(issues) };
}

/** Issues that belong on the public archive (drafts only when asked), newest first. */
export function archiveIssues<T extends IssueSummary>(
  archive: { issues: readonly T[] },
  { drafts = false } = {},
): T[] {
  if (!drafts) return publishedNewestFirst(archive.issues);
  return [...archive.issues].sort((a, b) =>
    a.meta.date < b.meta.date ? 1 : a.meta.date > b.meta.date ? -1 : a.id < b.id ? 1 : -1,
  );
}

/** Published (`status: ready`) issues, newest first: by date, then by id. */
export function publishedNewestFirst<T extends IssueSummary>(archive: readonly T[]): T[] {
  return archive.filter((issue) => issue.meta.status === 'ready').sort((a, b) => compareIssues(b, a));
}

/** Orders issues by id, as the archive folder lists them. */
export function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Orders issues by publication date, then id (`2023-03` before `2023-03-b`). */
export function compareIssues(a: IssueSummary, b: IssueSummary): number {
  if (a.meta.date !== b.meta.date) return a.meta.date < b.meta.date ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Absolute URL of an issue's archive page. */
export function issueUrl(id: string, config: Config): string {
  return new URL(`${encodeURIComponent(id)}/`, config.baseUrl).href;
}

/** A teaser of `issue`: month label, title, the intro cut to ≤ 250 characters, link. */
export function toTeaser(issue: IssueSummary, config: Config): Teaser {
  return {
    id: issue.id,
    monthLabel: issue.meta.monthLabel,
    title: issue.meta.title,
    excerpt: excerpt(issue.introText, TEASER_EXCERPT_MAX),
    url: issueUrl(issue.id, config),
    date: issue.meta.date,
  };
}
