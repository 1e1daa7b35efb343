import type { CompiledIssue } from '../render/compile.ts';

/** A compiled issue without its content (page and feed HTML): what the pack's index holds of it. */
export type IssueSummaryPart = Omit<CompiledIssue, 'html' | 'feed'>;

/**
 * A compiled issue as read back from a pack, copied field by field in the order the parser makes
 * them, with every optional field present (as `undefined`): the strict templates tell a missing
 * field (an error) from an undefined one.
 */
export function restore(issue: CompiledIssue): CompiledIssue {
  return {
    ...restoreSummary(issue),
    html: { intro: issue.html.intro, sections: [...issue.html.sections] },
    feed: issue.feed ?? undefined,
  };
}

/** {@link restore} without the content: reads neither `html` nor `feed`. */
export function restoreSummary(issue: IssueSummaryPart): IssueSummaryPart {
  return {
    id: issue.id,
    dir: issue.dir,
    meta: restoreMeta(issue.meta),
    introText: issue.introText,
    sections: issue.sections.map((section) => ({
      title: section.title,
      slug: section.slug,
      summary: section.summary ?? undefined,
    })),
    images: issue.images.map((image) => ({
      source: image.source,
      href: image.href,
      output: image.output,
      width: image.width ?? undefined,
      height: image.height ?? undefined,
      bytes: image.bytes,
    })),
    events: issue.events.map((event) => ({
      uid: event.uid,
      summary: event.summary,
      text: event.text,
      start: event.start,
      end: event.end,
      startTime: event.startTime ?? undefined,
      endTime: event.endTime ?? undefined,
      section: event.section,
    })),
  };
}

function restoreMeta(meta: IssueSummaryPart['meta']): IssueSummaryPart['meta'] {
  return {
    id: meta.id,
    title: meta.title,
    date: meta.date,
    editor: meta.editor,
    subject: meta.subject,
    preheader: meta.preheader,
    status: meta.status,
    monthLabel: meta.monthLabel,
  };
}
