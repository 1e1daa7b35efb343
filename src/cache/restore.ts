import type { CompiledIssue } from '../build/compile.ts';

/**
 * A compiled issue as read back from JSON, with every field present again: JSON drops
 * `undefined` properties, and the strict templates tell a missing field (an error) from an
 * undefined one. Built field by field, in the order the parser makes them.
 */
export function restore(issue: CompiledIssue): CompiledIssue {
  const { meta } = issue;
  return {
    id: issue.id,
    dir: issue.dir,
    meta: {
      id: meta.id,
      title: meta.title,
      date: meta.date,
      editor: meta.editor,
      subject: meta.subject,
      preheader: meta.preheader,
      status: meta.status,
      monthLabel: meta.monthLabel,
    },
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
    html: { intro: issue.html.intro, sections: [...issue.html.sections] },
    feed: issue.feed ?? undefined,
  };
}
