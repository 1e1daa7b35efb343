import { TEASER_EXCERPT_MAX } from '../assemble/index.ts';
import type { Config } from '../config/schema.ts';
import type { CalendarEvent, ImageAsset, IssueMeta, ParsedIssue } from '../model.ts';
import { excerpt } from '../text/excerpt.ts';
import { feedEntryHtml } from './feed-entry.ts';
import { issuePageHtml, type IssuePageHtml } from './web-content.ts';

/**
 * What the web archive needs of one issue, derived from the issue's own files and the config
 * alone (never from other issues): front matter, intro text, section titles, images, and the
 * content HTML of its page and feed entry. Plain data, so it can be cached on disk and sent
 * between threads; teasers, previous/next and the page around the content are assembled from
 * the whole archive on every build.
 */
export interface CompiledIssue {
  id: string;
  dir: string;
  meta: IssueMeta;
  /**
   * The intro's plain text as far as the archive uses it: cut to the teaser excerpt, which
   * `toTeaser` then leaves as it is — unless cutting it again would change it (a cut through an
   * emoji), when it is the whole text.
   */
  introText: string;
  sections: { title: string; slug: string; summary: string | undefined }[];
  images: ImageAsset[];
  /** Its Kalendarium's dated items, for the `.ics` files. */
  events: CalendarEvent[];
  html: IssuePageHtml;
  /** The feed entry's content; only made for issues likely to be among the newest. */
  feed: string | undefined;
}

/** Compiles a parsed issue (see {@link CompiledIssue}); `feed` also renders its feed entry. */
export function compileIssue(issue: ParsedIssue, config: Config, { feed = false } = {}): CompiledIssue {
  return {
    id: issue.id,
    dir: issue.dir,
    meta: { ...issue.meta },
    introText: teaserText(issue.introText),
    sections: issue.sections.map(({ title, slug, summary }) => ({ title, slug, summary })),
    images: issue.images.map((image) => ({ ...image })),
    events: issue.events.map((event) => ({ ...event })),
    html: issuePageHtml(issue, config),
    feed: feed ? feedEntryHtml(issue, config) : undefined,
  };
}

// A teaser excerpts the intro text of each of a 500-issue archive's pages several times over.
function teaserText(text: string): string {
  const cut = excerpt(text, TEASER_EXCERPT_MAX);
  return excerpt(cut, TEASER_EXCERPT_MAX) === cut ? cut : text;
}
