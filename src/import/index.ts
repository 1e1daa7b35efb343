import { join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { ISSUE_ID } from '../read/index.ts';
import { planInto, planNew } from './plan.ts';
import { readSource } from './sources.ts';
import type { ImportedDocument, ImportMessage, ImportOptions, ImportPlan, PlannedIssue } from './types.ts';

export { formatImportMessages, formatPlace } from './messages.ts';
export { recoverInterruptedImport, writeImport, type BeforeWrite } from './write.ts';
export type { ImportMessage, ImportOptions, ImportPlan, PlannedIssue } from './types.ts';

/**
 * Plans an import: reads each source, converts it to the issue format (one section file per
 * top-level heading, the editorial into `issue.md`, images into `images/`, `status: draft`) and
 * returns the files to write with every message. Writes nothing (see `writeImport`). Throws a
 * `UserError` when a source cannot be read (`SourceUnreadable`), the target is wrong
 * (`IssueExists`, `IssueNotFound`) or the import would need a guess (`ImportRefused`).
 */
export async function planImport(options: ImportOptions): Promise<ImportPlan> {
  if (options.into && options.asIssue) {
    throw new UserError(E.ImportIntoAndAs);
  }
  for (const id of [options.into, options.asIssue]) {
    if (id !== undefined && !ISSUE_ID.test(id)) {
      throw new UserError(E.ImportIdInvalid, { id });
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

function refuseSameId(issues: PlannedIssue[]): void {
  const seen = new Map<string, PlannedIssue>();
  for (const issue of issues) {
    const other = seen.get(issue.id);
    if (other) {
      const [first, second] = [String(other.sources[0]), String(issue.sources[0])];
      throw new UserError(E.ImportSameMonth, { id: issue.id, first, second });
    }
    seen.set(issue.id, issue);
  }
}
