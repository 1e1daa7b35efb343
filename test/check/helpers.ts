import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkIssue, issueIds, type CheckResult } from '../../src/check/index.ts';
import { loadArchive } from '../../src/pipeline.ts';
import { messagesAsJson } from '../../src/report/reporter.ts';
import { tempDir, testConfig } from '../support/spine.ts';

/** Fixture archives for `check`: one folder per rule that triggers it, and `clean`. */
export const CHECK_FIXTURES = resolve('test/fixtures/check');

/** A message as the tests compare it: place, severity and rule (the wording may be polished). */
export interface Found {
  file: string;
  line: number | null;
  column: number | null;
  severity: string;
  ruleId: string | null;
  message: string;
}

/** Checks every issue of an archive folder; messages with paths relative to that folder. */
export async function checkArchive(
  dir: string,
  config = testConfig(),
): Promise<{ results: CheckResult[]; messages: Found[] }> {
  const archive = await loadArchive(dir, config);
  const results: CheckResult[] = [];
  for (const id of issueIds(archive)) results.push(await checkIssue(archive, id, config));
  const messages = messagesAsJson(
    results.flatMap((result) => result.files),
    { cwd: dir },
  ) as Found[];
  return { results, messages };
}

/** Checks a fixture archive by name. */
export function checkFixture(name: string) {
  return checkArchive(join(CHECK_FIXTURES, name));
}

/** A temp copy of a fixture archive, to change before checking. */
export function copyFixture(name: string): string {
  const dir = tempDir('nyhetsbrev-check-');
  cpSync(join(CHECK_FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** `file:line:column severity rule` — compact and readable in a failing assertion. */
export function brief(messages: readonly Found[]): string[] {
  return messages.map(
    (message) => `${message.file}:${message.line}:${message.column} ${message.severity} ${message.ruleId}`,
  );
}
