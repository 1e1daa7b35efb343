import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { ISSUE_ID, markdownNames, sectionNames } from '../read/index.ts';
import { sectionNumber } from '../scaffold/names.ts';
import { readDocxSource } from './docx/index.ts';
import { readHtmlSource } from './html/index.ts';
import { IssueBuilder, type FolderState } from './issue-builder.ts';
import { resolveDate, resolveEditor, resolveTitle } from './issue-meta.ts';
import { readMarkdownSource } from './markdown.ts';
import { Messages } from './messages.ts';
import { splitDocument } from './structure.ts';
import type { ImportedDocument, ImportMessage } from './types.ts';
import { takeDefinitions, attachFootnotes, reportUnused } from './footnotes.ts';
import { JOURNAL } from './write.ts';

export { formatImportMessages, formatPlace } from './messages.ts';
export { recoverInterruptedImport, writeImport, type BeforeWrite } from './write.ts';
export type { ImportMessage } from './types.ts';

/** What to import and where. */
export interface ImportOptions {
  /** Source files: `.docx`, `.html`/`.htm`, `.md`. */
  files: string[];
  issuesDir: string;
  /** Add the sources' sections to this existing issue. */
  into?: string | undefined;
  /** Make one issue with this id of all the sources (the first gives title, date and editorial). */
  asIssue?: string | undefined;
}

/** One issue folder the import will create or add to. */
export interface PlannedIssue {
  id: string;
  /** Absolute path of the issue folder. */
  dir: string;
  /** `new`: the folder is created whole; `into`: files are added to it, none overwritten. */
  mode: 'new' | 'into';
  /** Relative path in the folder → bytes, in the order they are written. */
  files: Map<string, Uint8Array>;
  /** The section files among `files`. */
  sections: string[];
  sources: string[];
}

/** The whole import, planned and not yet written. */
export interface ImportPlan {
  issues: PlannedIssue[];
  messages: ImportMessage[];
}

/**
 * Plans an import: reads each source, converts it to the issue format (one section file per
 * top-level heading, the editorial into `issue.md`, images into `images/`, `status: draft`) and
 * returns the files to write with every message. Writes nothing (see `writeImport`). Throws a
 * `UserError` when a source cannot be read (`SourceUnreadable`), the target is wrong
 * (`IssueExists`, `IssueNotFound`) or the import would need a guess (`ImportRefused`).
 */
export async function planImport(options: ImportOptions): Promise<ImportPlan> {
  if (options.into && options.asIssue) {
    throw new UserError('UsageError', 'Give either --into or --as-issue, not both.', {
      hint: '--into adds sections to an issue that exists; --as-issue names a new one.',
    });
  }
  for (const id of [options.into, options.asIssue]) {
    if (id !== undefined && !ISSUE_ID.test(id)) {
      throw new UserError('UsageError', `\`${id}\` is not an issue id.`, {
        hint: 'Issue ids are months: YYYY-MM, or YYYY-MM-b for a second issue.',
      });
    }
  }
  const issuesDir = resolve(options.issuesDir);
  const documents: ImportedDocument[] = [];
  for (const file of options.files) documents.push(await readSource(file));
  const messages: ImportMessage[] = documents.flatMap((document) => document.messages);
  const issues: PlannedIssue[] = [];
  if (options.into) {
    issues.push(await planInto(documents, join(issuesDir, options.into), options.into, messages));
  } else if (options.asIssue) {
    issues.push(await planNew(documents, issuesDir, options.asIssue, messages));
  } else {
    for (const document of documents) issues.push(await planNew([document], issuesDir, undefined, messages));
    refuseSameId(issues);
  }
  return { issues, messages: inReadingOrder(messages, options.files) };
}

/** Messages by source file (in the order given), then by place; those without a place first. */
function inReadingOrder(messages: ImportMessage[], files: string[]): ImportMessage[] {
  const key = (message: ImportMessage) => {
    const place = message.place;
    if (!place) return [0, 0];
    return 'paragraph' in place ? [place.paragraph, 0] : [place.line, place.column];
  };
  return messages
    .map((message, index) => ({ message, index }))
    .sort((a, b) => {
      const [al, ac] = key(a.message);
      const [bl, bc] = key(b.message);
      return (
        files.indexOf(a.message.file) - files.indexOf(b.message.file) ||
        al! - bl! ||
        ac! - bc! ||
        a.index - b.index
      );
    })
    .map(({ message }) => message);
}

async function planNew(
  documents: ImportedDocument[],
  issuesDir: string,
  asIssue: string | undefined,
  all: ImportMessage[],
): Promise<PlannedIssue> {
  const [first, ...rest] = documents as [ImportedDocument, ...ImportedDocument[]];
  const messages = messagesFor(first);
  const definitions = takeDefinitions(first.tree);
  const parts = splitDocument(first.tree, true, messages);
  const title = resolveTitle(first.meta, parts, messages);
  const date = resolveDate(first.meta, parts, title, asIssue, messages);
  if (!date) {
    throw new UserError(
      'ImportRefused',
      `Nothing was imported: ${first.file} says nothing about when it was published.`,
      {
        hint: 'Name the issue with --as-issue YYYY-MM (the date is set to that month’s usual day, to confirm), or add a date to the source.',
      },
    );
  }
  const id = asIssue ?? date.slice(0, 7);
  if (asIssue && date.slice(0, 7) !== asIssue.slice(0, 7)) {
    messages.add(
      `The date ${date} is not in ${asIssue.slice(0, 7)}, the month of --as-issue; \`check\` reports it`,
      { ruleId: 'date' },
    );
  }
  const dir = join(issuesDir, id);
  if (await exists(dir)) {
    throw new UserError('IssueExists', `Nothing was imported: issue ${id} already exists in ${dir}.`, {
      hint: `Add the sections to it with --into ${id}, or import as another issue with --as-issue ${id}-b.`,
    });
  }
  if (parts.sections.length === 0) {
    messages.add('No headings found: the whole text became the editorial, with no sections', {
      ruleId: 'heading',
      hint: 'Sections start at headings: in Word use the styles "Rubrik 1"/"Heading 1" (not bold text); in HTML <h2>. Then import again.',
    });
  }
  if (parts.intro.length === 0)
    messages.add('No editorial text before the first heading; issue.md has an empty intro', {
      ruleId: 'intro',
      hint: 'Write the editorial in issue.md.',
    });
  const { editor, intro } = resolveEditor(first.meta, parts.intro, messages);
  const builder = new IssueBuilder({ lastNumber: 0, width: 2, imageNames: new Set() });
  const used = new Set<string>();
  const front = {
    title,
    date,
    editor,
    subject: first.meta.subject,
    preheader: first.meta.preheader,
    status: 'draft' as const,
  };
  builder.setIssue(front, attachFootnotes(intro, definitions, used, messages), first.images, messages);
  addSections(builder, first, parts.sections, definitions, used, messages);
  reportUnused(definitions, used, messages);
  all.push(...messages.done());
  for (const document of rest) addDocument(builder, document, all);
  return {
    id,
    dir,
    mode: 'new',
    files: builder.files,
    sections: builder.sections,
    sources: documents.map((d) => d.file),
  };
}

async function planInto(
  documents: ImportedDocument[],
  dir: string,
  id: string,
  all: ImportMessage[],
): Promise<PlannedIssue> {
  const builder = new IssueBuilder(await folderState(dir, id));
  for (const document of documents) addDocument(builder, document, all);
  return {
    id,
    dir,
    mode: 'into',
    files: builder.files,
    sections: builder.sections,
    sources: documents.map((d) => d.file),
  };
}

/** Adds a source's sections only: text before its first heading has nowhere to go, so it refuses. */
function addDocument(builder: IssueBuilder, document: ImportedDocument, all: ImportMessage[]): void {
  const messages = messagesFor(document);
  const definitions = takeDefinitions(document.tree);
  if (document.meta.title) promoteTitle(document.tree, document.meta.title.text);
  const parts = splitDocument(document.tree, false, messages);
  const stray = parts.intro.find((node) => node.type !== 'thematicBreak');
  if (stray || parts.sections.length === 0) {
    const where = stray?.position
      ? ` (${messages.paragraphs ? 'paragraph' : 'line'} ${stray.position.start.line})`
      : '';
    throw new UserError(
      'ImportRefused',
      `Nothing was imported: ${document.file} has ${parts.sections.length === 0 ? 'no heading' : `text before its first heading${where}`}, and added sections need one each.`,
      {
        hint: 'Give that text a heading (in Word: the style "Rubrik 1"/"Heading 1"), or import the file as an issue of its own (without --into).',
      },
    );
  }
  const used = new Set<string>();
  addSections(builder, document, parts.sections, definitions, used, messages);
  reportUnused(definitions, used, messages);
  all.push(...messages.done());
}

function addSections(
  builder: IssueBuilder,
  document: ImportedDocument,
  sections: ReturnType<typeof splitDocument>['sections'],
  definitions: ReturnType<typeof takeDefinitions>,
  used: Set<string>,
  messages: Messages,
): void {
  const withNotes = sections.map((section) => ({
    ...section,
    blocks: attachFootnotes(section.blocks, definitions, used, messages),
  }));
  builder.addSections(withNotes, document.images, messages);
}

/**
 * A title stated apart from the headings (a Word "Title" paragraph, front matter) heads the added
 * sections: it becomes a heading above all others, which move one level down.
 */
function promoteTitle(tree: ImportedDocument['tree'], title: string): void {
  for (const node of tree.children)
    if (node.type === 'heading') node.depth = Math.min(6, node.depth + 1) as typeof node.depth;
  tree.children.unshift({ type: 'heading', depth: 1, children: [{ type: 'text', value: title }] });
}

function messagesFor(document: ImportedDocument): Messages {
  return new Messages(document.file, document.kind === 'docx');
}

/** What an existing issue folder holds: its last section number and its images' names. */
async function folderState(dir: string, id: string): Promise<FolderState> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
  if (!entries?.some((entry) => entry.name === 'issue.md')) {
    throw new UserError('IssueNotFound', `Nothing was imported: there is no issue ${id} in ${dir}.`, {
      hint: `Check the id given with --into, or leave --into out to make a new issue.`,
    });
  }
  if (entries.some((entry) => entry.name === JOURNAL)) {
    throw new UserError(
      'ImportRefused',
      `Nothing was imported: an earlier import into ${id} was interrupted.`,
      {
        hint: 'Run `nyhetsbrev import` again: it removes what the interrupted import added before adding anything.',
      },
    );
  }
  const sections = sectionNames(markdownNames(entries));
  const last = sections.at(-1);
  const number = last ? sectionNumber(last) : { number: 0, width: 2 };
  if (!number) {
    throw new UserError(
      'ImportRefused',
      `Nothing was imported: the last section of ${id}, ${last}, has no number, so new sections cannot be named to come after it.`,
      {
        hint: 'Number the section files (01-namn.md, 02-namn.md, …) and import again.',
      },
    );
  }
  const imageNames = new Set(await readdir(join(dir, 'images')).catch(() => [] as string[]));
  return { lastNumber: number.number, width: Math.max(2, number.width), imageNames };
}

function refuseSameId(issues: PlannedIssue[]): void {
  const seen = new Map<string, PlannedIssue>();
  for (const issue of issues) {
    const other = seen.get(issue.id);
    if (other) {
      throw new UserError(
        'ImportRefused',
        `Nothing was imported: ${other.sources[0]} and ${issue.sources[0]} are both dated ${issue.id}.`,
        {
          hint: `Import one of them with --as-issue ${issue.id}-b, or the two together as one issue with --as-issue ${issue.id}.`,
        },
      );
    }
    seen.set(issue.id, issue);
  }
}

async function readSource(file: string): Promise<ImportedDocument> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(
      'SourceUnreadable',
      `Nothing was imported: cannot read ${file} (${error.code ?? 'error'}).`,
      {
        cause: error,
        hint: 'Check the path and that you may read the file.',
      },
    );
  });
  const kind = kindOf(file, bytes);
  if (kind === 'docx') return readDocxSource(file, bytes);
  if (kind === 'html') return readHtmlSource(file, bytes);
  if (kind === 'markdown') return readMarkdownSource(file, bytes);
  throw new UserError(
    'SourceUnreadable',
    `Nothing was imported: ${file} is not a Word document (.docx), an HTML page or a Markdown file.`,
    {
      hint:
        extname(file).toLowerCase() === '.doc'
          ? 'Open it in Word and save it as .docx (Arkiv → Spara som → Word-dokument), then import that.'
          : 'Save it as .docx, .html or .md first.',
    },
  );
}

function kindOf(file: string, bytes: Uint8Array): 'docx' | 'html' | 'markdown' | undefined {
  const extension = extname(file).toLowerCase();
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (extension === '.docx' || (zip && extension !== '.md')) return zip ? 'docx' : undefined;
  if (['.html', '.htm', '.xhtml'].includes(extension)) return 'html';
  if (['.md', '.markdown', '.txt'].includes(extension)) return 'markdown';
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') ? 'html' : undefined;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
