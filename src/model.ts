import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import type { VFile } from 'vfile';

/** `status:` of an issue: drafts are never sent and not published. */
export type IssueStatus = 'draft' | 'ready';

/** Resolved front matter of `issue.md`. */
export interface IssueMeta {
  /** Folder name: `YYYY-MM` or `YYYY-MM-b`. */
  id: string;
  title: string;
  /** Publication date, `YYYY-MM-DD`. */
  date: string;
  /** The intro's signature, one line per line of the signature joined by `\n`; `''` when none. */
  editor: string;
  /** The email subject: front matter `subject`, else the title. */
  subject: string;
  /** Hidden preview text: front matter `preheader`, else derived from the intro. */
  preheader: string;
  status: IssueStatus;
  /** "Mars 2023" (capitalised, in the config's locale). */
  monthLabel: string;
}

/** An image referenced by the issue, with its output name and intrinsic size when known. */
export interface ImageAsset {
  /** Absolute path of the source file. */
  source: string;
  /** As written in Markdown, relative to the issue folder, e.g. `images/x.png`. */
  href: string;
  /** Content-hashed path relative to the issue's web folder, e.g. `images/x.1a2b3c4d.png`. */
  output: string;
  width: number | undefined;
  height: number | undefined;
  /** File size in bytes. */
  bytes: number;
}

/** A parsed Markdown body: its syntax tree and the HTML tree derived from it. */
export interface Body {
  mdast: MdastRoot;
  hast: HastRoot;
}

/** One section file of an issue. */
export interface Section {
  file: VFile;
  title: string;
  /** Anchor id, unique in the issue. */
  slug: string;
  summary: string | undefined;
  /** Content without the title heading; sub-headings already shifted to h3. */
  body: Body;
}

/**
 * A dated item of an issue's Kalendarium section (see `src/parse/kalendarium.ts`). Dates are
 * `YYYY-MM-DD` (the end inclusive), times `HH:MM` in Europe/Stockholm.
 */
export interface CalendarEvent {
  /** Stable id: a hash of the dates, times and text (the same item in two issues is one event). */
  uid: string;
  /** The item's text after its date. */
  summary: string;
  /** The item's whole text, date included. */
  text: string;
  start: string;
  end: string;
  startTime: string | undefined;
  endTime: string | undefined;
  /** Slug of the section the item is in. */
  section: string;
}

/** One issue after parsing (before assembly with the rest of the archive). */
export interface ParsedIssue {
  id: string;
  dir: string;
  meta: IssueMeta;
  intro: Body;
  /** Plain text of the intro (for excerpts and preheaders). */
  introText: string;
  sections: Section[];
  images: ImageAsset[];
  /** The dated items of its Kalendarium section, in order. */
  events: CalendarEvent[];
  /** Every file of the issue, carrying its messages. */
  files: VFile[];
}

/** A table-of-contents entry ("I detta nummer"). */
export interface TocEntry {
  title: string;
  slug: string;
  summary: string | undefined;
}

/** A "Fler nyhetsbrev" teaser of another issue. */
export interface Teaser {
  id: string;
  monthLabel: string;
  title: string;
  excerpt: string;
  /** Absolute URL of its archive page. */
  url: string;
  date: string;
}

/** An issue ready to render: parsed content plus what is derived from the whole archive. */
export interface Issue extends ParsedIssue {
  toc: TocEntry[];
  /** Email: the issues published just before this one. Web: the newest other published issues. */
  teasers: { email: Teaser[]; web: Teaser[] };
  /** The published issues just before and after this one, for page navigation. */
  previous: Teaser | undefined;
  next: Teaser | undefined;
  /** Absolute URL of the issue's archive page. */
  url: string;
}
