import * as z from 'zod';
import type { CsvRecord, RejectedRow } from './csv.ts';
import { parseEmail } from './email.ts';

/** A valid, de-duplicated row ready to import. */
export interface CandidateRow {
  line: number;
  email: string;
  key: string;
  name: string | null;
  /** The row's own lists (a `lists` column's cell); empty when it has none. */
  lists: string[];
  /** The row also joins the import's `--list`: it had no list of its own (or merged one that had none). */
  defaultList: boolean;
}

/** A row whose address was already on an earlier line; it was merged into that one. */
export interface DuplicateRow {
  line: number;
  firstLine: number;
}

/** Rows sorted into valid (merged), duplicates and rejected, each in file order. */
export interface ValidatedRows {
  rows: CandidateRow[];
  duplicates: DuplicateRow[];
  rejected: RejectedRow[];
}

const MAX_NAME = 200;

const rowSchema = z.object({
  email: z.string().transform((value, ctx) => {
    const result = parseEmail(value);
    if (result.ok) return result;
    ctx.addIssue({ code: 'custom', message: result.reason });
    return z.NEVER;
  }),
  name: z
    .string()
    .transform((value) => value.replace(/\s+/g, ' ').trim())
    .pipe(
      z
        .string()
        .max(MAX_NAME, `the name is longer than ${MAX_NAME} characters`)
        .refine(
          (value) => !/[\u0000-\u001F\u007F\uFFFD]/.test(value),
          'the name contains control or unreadable characters',
        ),
    )
    .optional(),
});

/**
 * Validates CSV records (schema → normalise → known list ids) and merges rows with the same
 * address case-insensitively: the first row wins, a later row only fills in a missing name and
 * adds its lists — the import's `--list` when its list cell is empty. Every problem of a row is
 * given in its reason.
 */
export function validateRows(records: readonly CsvRecord[], knownLists: readonly string[]): ValidatedRows {
  const rows: CandidateRow[] = [];
  const duplicates: DuplicateRow[] = [];
  const rejected: RejectedRow[] = [];
  const byKey = new Map<string, CandidateRow>();
  for (const record of records) {
    const checked = checkRecord(record, knownLists);
    if ('reason' in checked) {
      rejected.push({ line: record.line, reason: checked.reason });
      continue;
    }
    const { email, name, lists } = checked;
    const first = byKey.get(email.key);
    if (first) {
      duplicates.push({ line: record.line, firstLine: first.line });
      first.name ??= name || null;
      if (lists.length > 0) first.lists = [...new Set([...first.lists, ...lists])];
      else first.defaultList = true;
      continue;
    }
    const row: CandidateRow = {
      line: record.line,
      email: email.email,
      key: email.key,
      name: name || null,
      lists,
      defaultList: lists.length === 0,
    };
    byKey.set(email.key, row);
    rows.push(row);
  }
  return { rows, duplicates, rejected };
}

/** A record's address, name and lists, or why it is rejected (every problem, joined by `;`). */
function checkRecord(
  record: CsvRecord,
  knownLists: readonly string[],
): (z.output<typeof rowSchema> & { lists: string[] }) | { reason: string } {
  const result = rowSchema.safeParse(record);
  const lists = record.lists?.split(/[\s,|;]+/).filter(Boolean) ?? [];
  const unknown = lists.filter((id) => !knownLists.includes(id));
  const listProblem =
    unknown.length > 0 ? `unknown list ${unknown.join(', ')} (known: ${knownLists.join(', ')})` : undefined;
  if (!result.success || record.problem || listProblem) {
    const reasons = [
      record.problem,
      ...(result.error?.issues.map((issue) => issue.message) ?? []),
      listProblem,
    ];
    return { reason: reasons.filter(Boolean).join('; ') };
  }
  return { ...result.data, lists };
}
