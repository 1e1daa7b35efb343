import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { parseSubscriberCsv } from './csv.ts';
import { importSubscribers, type ImportReport } from './import.ts';
import { requireLists, type Lists } from './lists.ts';
import { validateRows } from './rows.ts';
import type { Store } from './store.ts';

/** Options of {@link importCsv}. */
export interface ImportCsvOptions {
  /** List id for rows without their own `lists` column; checked against `lists`. */
  list: string;
  strict?: boolean | undefined;
  /** Consent source; default `import:<file name>`. */
  source?: string | undefined;
  /** Called once with the number of valid rows, before the transaction starts. */
  onStart?: ((total: number) => void) | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/**
 * The whole import of one CSV file: check the list (`UnknownList`), decode and parse the bytes
 * (`ImportFailed` for a file that cannot be a subscriber list), validate the rows and write them in
 * one transaction. Bad rows are in the report, not thrown: the caller decides what to print.
 */
export function importCsv(
  store: Store,
  lists: Lists,
  input: { bytes: Buffer; file: string },
  options: ImportCsvOptions,
): ImportReport {
  const [list] = requireLists(lists, [options.list]) as [string];
  const parsed = parseSubscriberCsv(input.bytes, input.file);
  const rows = validateRows(
    parsed.records,
    lists.lists.map((known) => known.id),
  );
  options.onStart?.(rows.rows.length);
  return importSubscribers(
    store,
    { ...rows, rejected: [...parsed.rejected, ...rows.rejected] },
    {
      list,
      strict: options.strict,
      source: options.source ?? `import:${basename(input.file)}`,
      onProgress: options.onProgress,
    },
  );
}

/** Reads a file to import. Throws `ImportFailed` when it cannot be read. */
export function readImportFile(file: string): { bytes: Buffer; file: string } {
  try {
    return { bytes: readFileSync(file), file };
  } catch (error) {
    throw new UserError(E.ImportUnreadable, { file, reason: (error as Error).message }, { cause: error });
  }
}
