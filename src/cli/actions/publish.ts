import type { Command } from 'commander';
import { ContentErrors, publishSite, type PublishResult } from '../../publish/index.ts';
import { formatMessages } from '../../report/reporter.ts';
import { cacheOption } from '../cache-option.ts';
import { configOf } from '../context.ts';
import { errorJson, printJson } from '../json.ts';
import { publishJson } from '../json-shapes.ts';

/** Options of `nyhetsbrev publish`. */
export interface PublishOptions {
  to: string;
  issues: string;
  force: boolean;
  /** `--cache-dir DIR`; `--no-cache` sets `cache` false. */
  cacheDir?: string;
  cache: boolean;
  json: boolean;
}

/** `nyhetsbrev publish --to DIR`: builds the web archive and swaps it in atomically. */
export async function publish(options: PublishOptions, command: Command): Promise<void> {
  const config = configOf(command);
  let result: PublishResult;
  try {
    result = await publishSite(config, {
      issuesDir: options.issues,
      to: options.to,
      force: options.force,
      cache: cacheOption(config, options),
    });
  } catch (error) {
    const files = error instanceof ContentErrors ? error.files : [];
    if (files.length > 0) process.stderr.write(`${formatMessages(files)}\n`);
    const described = errorJson(error);
    if (options.json && described) printJson(publishJson(options.to, undefined, described, files));
    throw error;
  }
  const report = formatMessages(result.files);
  if (report) process.stderr.write(`${report}\n`);
  if (options.json) printJson(publishJson(options.to, result, null));
  else process.stdout.write(describePublish(result, options.to));
}

/** What changed, for the terminal: issues added, updated, removed, and the other files. */
export function describePublish(result: PublishResult, to: string): string {
  const { changes } = result;
  const lines = result.recovered.map((line) => `Recovered: ${line}.`);
  const total = changes.added.length + changes.updated.length + changes.unchanged.length;
  if (!result.replaced) {
    lines.push(`Nothing changed: ${to} already holds this site (${total} issue(s)); it was left as it was.`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`Published ${total} issue(s) to ${to}.`);
  const list = (ids: string[]) => (ids.length > 0 ? ids.join(', ') : '–');
  lines.push(`  added:     ${list(changes.added)}`);
  lines.push(`  updated:   ${list(changes.updated)}`);
  lines.push(`  removed:   ${list(changes.removed)}`);
  lines.push(`  unchanged: ${changes.unchanged.length} issue(s)`);
  const shown = changes.otherFiles.slice(0, 5).join(', ');
  const more = changes.otherFiles.length > 5 ? `, … (${changes.otherFiles.length - 5} more)` : '';
  lines.push(`  other files changed: ${changes.otherFiles.length}${shown ? ` (${shown}${more})` : ''}`);
  return `${lines.join('\n')}\n`;
}
