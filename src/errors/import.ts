import type { CatalogPart } from './names.ts';

/** "Nothing was imported: " — every refusal of `import` says so. */
const NOTHING = 'Nothing was imported:';

/** Why a .docx file cannot be read. */
const DOCX_PROBLEMS = {
  'not-zip': 'is not a valid .docx file (not a zip archive)',
  'no-document': 'has no word/document.xml (not a Word document)',
} as const;

interface IdArgs {
  id: string;
}

interface StrayArgs {
  file: string;
  /** True when the file has no heading at all. */
  noHeading: boolean;
  /** Where the text before the first heading is: " (paragraph 3)", or "". */
  where: string;
}

/** Errors of `new` and `import`. */
export const IMPORT = {
  IssueIdInvalid: {
    name: 'UsageError',
    message: ({ id }: IdArgs) => `\`${id}\` is not an issue id.`,
    hint: 'Give the month as YYYY-MM, such as 2024-03 (YYYY-MM-b for a second issue in a month), or leave it out for the next month.',
  },
  NewIssueExists: {
    name: 'IssueExists',
    message: ({ id, dir }: { id: string; dir: string; next: string }) =>
      `Issue ${id} already exists in ${dir}; nothing was written.`,
    hint: ({ dir, next }: { id: string; dir: string; next: string }) =>
      `Edit the files in ${dir}, or give another id: \`nyhetsbrev new ${next}\`.`,
  },
  ImportIntoAndAs: {
    name: 'UsageError',
    message: () => 'Give either --into or --as-issue, not both.',
    hint: '--into adds sections to an issue that exists; --as-issue names a new one.',
  },
  ImportIdInvalid: {
    name: 'UsageError',
    message: ({ id }: IdArgs) => `\`${id}\` is not an issue id.`,
    hint: 'Issue ids are months: YYYY-MM, or YYYY-MM-b for a second issue.',
  },
  ImportSameMonth: {
    name: 'ImportRefused',
    message: ({ id, first, second }: { id: string; first: string; second: string }) =>
      `${NOTHING} ${first} and ${second} are both dated ${id}.`,
    hint: ({ id }: { id: string; first: string; second: string }) =>
      `Import one of them with --as-issue ${id}-b, or the two together as one issue with --as-issue ${id}.`,
  },
  ImportIssueExists: {
    name: 'IssueExists',
    message: ({ id, dir }: { id: string; dir: string }) => `${NOTHING} issue ${id} already exists in ${dir}.`,
    hint: ({ id }: { id: string; dir: string }) =>
      `Add the sections to it with --into ${id}, or import as another issue with --as-issue ${id}-b.`,
  },
  ImportIssueAppeared: {
    name: 'IssueExists',
    message: ({ id, dir }: { id: string; dir: string }) =>
      `${NOTHING} issue ${id} appeared in ${dir} while importing.`,
    hint: ({ id }: { id: string; dir: string }) =>
      `Add the sections with --into ${id}, or import as another issue with --as-issue ${id}-b.`,
  },
  ImportUnderWay: {
    name: 'ImportRefused',
    message: ({ id, journal }: { id: string; journal: string }) =>
      `${NOTHING} another import into ${id} is under way or was interrupted (${journal}).`,
    hint: 'Wait for it to finish; if none is running, run the import again: it removes what the interrupted one added first.',
  },
  ImportFileAppeared: {
    name: 'ImportRefused',
    message: ({ path }: { path: string }) =>
      `${NOTHING} ${path} appeared while importing; it was left as it is.`,
    hint: 'Run the import again: new files are named after the last ones there.',
  },
  ImportInterrupted: {
    name: 'ImportRefused',
    message: ({ id }: IdArgs) => `${NOTHING} an earlier import into ${id} was interrupted.`,
    hint: 'Run `nyhetsbrev import` again: it removes what the interrupted import added before adding anything.',
  },
  ImportNoDate: {
    name: 'ImportRefused',
    message: ({ file }: { file: string }) => `${NOTHING} ${file} says nothing about when it was published.`,
    hint: 'Name the issue with --as-issue YYYY-MM (the date is set to that month’s usual day, to confirm), or add a date to the source.',
  },
  ImportTextBeforeHeading: {
    name: 'ImportRefused',
    message: ({ file, noHeading, where }: StrayArgs) =>
      `${NOTHING} ${file} has ${noHeading ? 'no heading' : `text before its first heading${where}`}, and added sections need one each.`,
    hint: 'Give that text a heading (in Word: the style "Rubrik 1"/"Heading 1"), or import the file as an issue of its own (without --into).',
  },
  ImportIntoMissing: {
    name: 'IssueNotFound',
    message: ({ id, dir }: { id: string; dir: string }) => `${NOTHING} there is no issue ${id} in ${dir}.`,
    hint: 'Check the id given with --into, or leave --into out to make a new issue.',
  },
  ImportLastUnnumbered: {
    name: 'ImportRefused',
    message: ({ id, last }: { id: string; last: string }) =>
      `${NOTHING} the last section of ${id}, ${last}, has no number, so new sections cannot be named to come after it.`,
    hint: 'Number the section files (01-namn.md, 02-namn.md, …) and import again.',
  },
  ImportNumberTooWide: {
    name: 'ImportRefused',
    message: ({ number, width }: { number: number; width: number }) =>
      `${NOTHING} section number ${number} does not fit the ${width}-digit numbers of the folder's section files.`,
    hint: 'Renumber the section files with one more digit (001-namn.md, …) and import again.',
  },
  SourceUnreadable: {
    name: 'SourceUnreadable',
    message: ({ file, reason }: { file: string; reason: string }) =>
      `${NOTHING} cannot read ${file} (${reason}).`,
    hint: 'Check the path and that you may read the file.',
  },
  SourceKindUnknown: {
    name: 'SourceUnreadable',
    message: ({ file }: { file: string; extension: string }) =>
      `${NOTHING} ${file} is not a Word document (.docx), an HTML page or a Markdown file.`,
    hint: ({ extension }: { file: string; extension: string }) =>
      extension.toLowerCase() === '.doc'
        ? 'Open it in Word and save it as .docx (Arkiv → Spara som → Word-dokument), then import that.'
        : 'Save it as .docx, .html or .md first.',
  },
  DocxUnreadable: {
    name: 'SourceUnreadable',
    message: ({ file, problem }: { file: string; problem: keyof typeof DOCX_PROBLEMS }) =>
      `${NOTHING} ${file} ${DOCX_PROBLEMS[problem]}.`,
    hint: 'Open it in Word and save it again as a Word document (.docx).',
  },
} satisfies CatalogPart;
