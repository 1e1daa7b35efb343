import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { markdownNames, sectionNames } from '../read/index.ts';
import { sectionNumber } from '../scaffold/names.ts';
import { attachFootnotes, reportUnused, takeDefinitions } from './footnotes.ts';
import { IssueBuilder, type FolderState } from './issue-builder.ts';
import { resolveDate, resolveEditor, resolveTitle } from './issue-meta.ts';
import { Messages } from './messages.ts';
import { splitDocument, type DocumentParts } from './structure.ts';
import type { ImportedDocument, ImportMessage, PlannedIssue } from './types.ts';
import { JOURNAL } from './write.ts';

/**
 * Plans a new issue: the first document gives title, date, editorial and its sections; the others
 * add their sections. Throws `ImportRefused` without a date and `IssueExists` for a taken id.
 */
export async function planNew(
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
  const date = issueDate(first, parts, title, asIssue, messages);
  const id = asIssue ?? date.slice(0, 7);
  const dir = join(issuesDir, id);
  if (await exists(dir)) {
    throw new UserError(E.ImportIssueExists, { id, dir });
  }
  reportShape(parts, messages);
  const builder = newIssue(first, parts, definitions, { title, date }, messages);
  all.push(...messages.done());
  for (const document of rest) addDocument(builder, document, all);
  return planned(builder, { id, dir, mode: 'new' }, documents);
}

/** An issue of the first document: its front matter, its editorial and its sections, as drafts. */
function newIssue(
  first: ImportedDocument,
  parts: DocumentParts,
  definitions: ReturnType<typeof takeDefinitions>,
  { title, date }: { title: string; date: string },
  messages: Messages,
): IssueBuilder {
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
  return builder;
}

/** The date of a new issue (see `resolveDate`); refuses to guess when the source states none. */
function issueDate(
  document: ImportedDocument,
  parts: DocumentParts,
  title: string,
  asIssue: string | undefined,
  messages: Messages,
): string {
  const date = resolveDate(document.meta, parts, title, asIssue, messages);
  if (!date) {
    throw new UserError(E.ImportNoDate, { file: document.file });
  }
  if (asIssue && date.slice(0, 7) !== asIssue.slice(0, 7)) {
    messages.add(
      `The date ${date} is not in ${asIssue.slice(0, 7)}, the month of --as-issue; \`check\` reports it`,
      { ruleId: 'date' },
    );
  }
  return date;
}

/** Warns about a document with no sections or no editorial: the issue would look empty. */
function reportShape(parts: DocumentParts, messages: Messages): void {
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
}

/** Plans sections added to the existing issue `id` in `dir`, numbered after its last one. */
export async function planInto(
  documents: ImportedDocument[],
  dir: string,
  id: string,
  all: ImportMessage[],
): Promise<PlannedIssue> {
  const builder = new IssueBuilder(await folderState(dir, id));
  for (const document of documents) addDocument(builder, document, all);
  return planned(builder, { id, dir, mode: 'into' }, documents);
}

// The plan of an issue as `builder` has it, from `documents`.
function planned(
  builder: IssueBuilder,
  where: Pick<PlannedIssue, 'id' | 'dir' | 'mode'>,
  documents: readonly ImportedDocument[],
): PlannedIssue {
  return {
    ...where,
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
    const noHeading = parts.sections.length === 0;
    throw new UserError(E.ImportTextBeforeHeading, { file: document.file, noHeading, where });
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
    throw new UserError(E.ImportIntoMissing, { id, dir });
  }
  if (entries.some((entry) => entry.name === JOURNAL)) {
    throw new UserError(E.ImportInterrupted, { id });
  }
  const sections = sectionNames(markdownNames(entries));
  const last = sections.at(-1);
  const number = last ? sectionNumber(last) : { number: 0, width: 2 };
  if (!number) {
    throw new UserError(E.ImportLastUnnumbered, { id, last: String(last) });
  }
  const imageNames = new Set(await readdir(join(dir, 'images')).catch(() => [] as string[]));
  return { lastNumber: number.number, width: Math.max(2, number.width), imageNames };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
