import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { expect } from 'vitest';
import { checkArchive } from '../check/helpers.ts';
import {
  formatPlace,
  planImport,
  writeImport,
  type ImportMessage,
  type ImportOptions,
} from '../../src/import/index.ts';
import { tempDir } from '../support/spine.ts';

/** Fixture cases of the import: `input/` (or made by a test), `existing/`, `expected/`. */
export const IMPORT_FIXTURES = resolve('test/fixtures/import');

/** Plans and writes an import into `issuesDir`; returns the plan. */
export async function runImport(options: Omit<ImportOptions, 'issuesDir'> & { issuesDir: string }) {
  const plan = await planImport(options);
  await writeImport(plan);
  return plan;
}

/** A temp issues folder, holding a copy of `existing/` of a case when it has one. */
export function issuesFolder(caseName?: string): string {
  const dir = tempDir('nyhetsbrev-import-');
  if (caseName) cpSync(join(IMPORT_FIXTURES, caseName, 'existing'), dir, { recursive: true });
  return dir;
}

/** Every file under `dir`, relative, sorted. */
export function listFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(dir, path));
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * Compares an imported issue folder with `expected/<id>/` of a case, file by file: Markdown
 * files as file snapshots (`vitest -u` writes them, to be reviewed like code), images by bytes.
 * `only` limits the comparison to the files an import added.
 */
export async function expectFolder(
  actual: string,
  caseName: string,
  id: string,
  only?: string[],
): Promise<void> {
  const expectedDir = join(IMPORT_FIXTURES, caseName, 'expected', id);
  const files = only ?? listFiles(actual);
  for (const file of files.filter((name) => name.endsWith('.md'))) {
    await expect(readFileSync(join(actual, file), 'utf8')).toMatchFileSnapshot(join(expectedDir, file));
  }
  const listing = `${files.join('\n')}\n`;
  await expect(listing).toMatchFileSnapshot(join(IMPORT_FIXTURES, caseName, 'expected', `${id}.files.txt`));
}

/** Messages as `file:place severity rule-id reason` lines, the file by its base name. */
export function messageLines(messages: readonly ImportMessage[]): string {
  return `${messages.map((message) => `${formatPlace({ ...message, file: basename(message.file) })} ${message.severity} ${message.ruleId} ${message.reason}`).join('\n')}\n`;
}

/** The rule ids `check` reports for one issue, as `file severity rule` (no lines: the wording may move). */
export async function checkRules(issuesDir: string): Promise<string[]> {
  const { messages } = await checkArchive(issuesDir);
  return messages.map((message) => `${message.file} ${message.severity} ${message.ruleId}`);
}

/** Writes bytes to a new temp file named `name`; its path. */
export function tempFile(name: string, bytes: Uint8Array | string): string {
  const path = join(tempDir('nyhetsbrev-source-'), name);
  writeFileSync(path, bytes);
  return path;
}
