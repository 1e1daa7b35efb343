import type { RootContent } from 'mdast';
import type { Position } from 'unist';
import { monthOfLabel, usualDay } from './dates.ts';
import { quote, type Messages } from './messages.ts';
import { takeSignature } from './signature.ts';
import { plain, type DocumentParts } from './structure.ts';
import type { SourceMeta } from './types.ts';

/** Written when a source states no title: plainly a placeholder, never a guess. */
export const TITLE_PLACEHOLDER = 'Rubrik saknas – skriv rubriken här';

/**
 * The issue title: stated in the source (front matter, a Word "Title" paragraph), else the lone
 * top heading, else the page's `og:title`/`<title>` or the Word document's title property (with a
 * warning), else a placeholder (with a warning).
 */
export function resolveTitle(meta: SourceMeta, parts: DocumentParts, messages: Messages): string {
  if (meta.title) return meta.title.text;
  if (parts.title) return parts.title.text;
  if (meta.fallbackTitle) {
    messages.add(
      `The title ${quote(meta.fallbackTitle.text)} was taken from ${meta.fallbackTitle.from}; confirm it`,
      {
        ruleId: 'title',
        hint: 'Edit `title:` in issue.md: the page had no single top heading to take it from.',
      },
    );
    return meta.fallbackTitle.text;
  }
  messages.add('No title found; issue.md has a placeholder title', {
    ruleId: 'title',
    hint: 'Write the title in `title:` of issue.md.',
  });
  return TITLE_PLACEHOLDER;
}

/**
 * The publication date, in this order: stated in the source (front matter, a page's published
 * date, a "Publicerat …" line); the usual publication day of a Swedish month label ("Mars 2023")
 * in the title, the lines before the first section or the file name, with a warning to confirm
 * the day; the document's file date (with a warning); the usual day of `--as-issue`'s month (with a
 * warning). Undefined when none is there: the caller refuses to guess.
 */
export function resolveDate(
  meta: SourceMeta,
  parts: DocumentParts,
  title: string,
  asIssue: string | undefined,
  messages: Messages,
): string | undefined {
  if (meta.date) return meta.date.value;
  if (parts.dateLine) return parts.dateLine.value;
  const labelled = dateOfMonthLabel(meta, parts, title, messages);
  if (labelled) return labelled;
  if (meta.fileDate) {
    messages.add(`The date ${meta.fileDate.value} is ${meta.fileDate.from}; confirm it`, {
      ruleId: 'date',
      hint: 'That is when the file was written, not necessarily when the issue came out: correct `date:` in issue.md.',
    });
    return meta.fileDate.value;
  }
  if (asIssue) {
    const date = usualDay(asIssue.slice(0, 7));
    messages.add(
      `No date found; ${date}, the usual publication day of ${asIssue.slice(0, 7)}, was set; confirm it`,
      {
        ruleId: 'date',
        hint: 'Correct `date:` in issue.md.',
      },
    );
    return date;
  }
  return undefined;
}

/**
 * The usual publication day of the first Swedish month label found: on a line of its own, in the
 * title, at the start of the editorial, or in the source's own labels (a file name). Warns to
 * confirm the day.
 */
function dateOfMonthLabel(
  meta: SourceMeta,
  parts: DocumentParts,
  title: string,
  messages: Messages,
): string | undefined {
  const labels = [
    ...parts.labels.map(({ text, place }) => ({ text, from: 'a line of its own', place })),
    { text: title, from: 'the title', place: parts.title?.place },
    ...parts.intro
      .slice(0, 2)
      .map((node) => ({ text: plain(node), from: 'the start of the editorial', place: node.position })),
    ...meta.labels.map((label) => ({ ...label, place: undefined })),
  ];
  for (const { text, from, place } of labels) {
    const month = monthOfLabel(text);
    if (!month) continue;
    const date = usualDay(month);
    messages.add(
      `The date ${date} comes from the month label ${quote(text, 40)} (${from}); confirm the day`,
      {
        ruleId: 'date',
        place,
        hint: 'The day is the month’s usual publication day (its last Thursday); correct `date:` in issue.md if the issue came out on another day.',
      },
    );
    return date;
  }
  return undefined;
}

/** The signature: front matter `editor`, else a signature line at the end of the editorial. */
export function resolveEditor(
  meta: SourceMeta,
  intro: RootContent[],
  messages: Messages,
): { editor: string | undefined; intro: RootContent[] } {
  if (meta.editor) return { editor: meta.editor, intro };
  const signature = takeSignature(intro);
  const end: Position | undefined = intro.at(-1)?.position;
  if (signature) {
    messages.add(`The signature ${quote(signature.editor)} became \`editor:\``, {
      ruleId: 'signature',
      severity: 'info',
      place: end,
    });
    return { editor: signature.editor, intro: signature.blocks };
  }
  messages.add('No signature line found at the end of the editorial; issue.md has no `editor:`', {
    ruleId: 'signature',
    place: end,
    hint: 'Add `editor: Förnamn Efternamn, titel` to issue.md (it is printed under the editorial).',
  });
  return { editor: undefined, intro };
}
