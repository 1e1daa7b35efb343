import { relative } from 'node:path';
import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';

/** Counts of messages by severity. */
export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
}

function severityOf(message: VFileMessage): 'error' | 'warning' | 'info' {
  return message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'info';
}

/** Sorts messages by file, line, column: the order a reader scans them in. */
function ordered(files: readonly VFile[]): { file: VFile; message: VFileMessage }[] {
  const rows = files.flatMap((file) => file.messages.map((message) => ({ file, message })));
  return rows.sort(
    (a, b) =>
      (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0) ||
      (a.message.line ?? 0) - (b.message.line ?? 0) ||
      (a.message.column ?? 0) - (b.message.column ?? 0),
  );
}

/**
 * Formats messages like a linter: `file:line:col severity message rule-id`, a hint line under
 * each, then a summary line. Paths are relative to `cwd`. Infos are left out unless `verbose`.
 */
export function formatMessages(
  files: readonly VFile[],
  { cwd = process.cwd(), verbose = false } = {},
): string {
  const lines: string[] = [];
  for (const { file, message } of ordered(files)) {
    const severity = severityOf(message);
    if (severity === 'info' && !verbose) continue;
    const path = file.path ? relative(cwd, file.path) || file.path : '<input>';
    const place = `${path}:${message.line ?? 1}:${message.column ?? 1}`;
    lines.push(`${place} ${severity} ${message.reason} ${message.ruleId ?? ''}`.trimEnd());
    if (message.note) lines.push(`  hint: ${message.note}`);
  }
  const { errors, warnings } = summarise(files);
  if (errors + warnings > 0) lines.push(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  return lines.join('\n');
}

/** Counts messages by severity over all files. */
export function summarise(files: readonly VFile[]): Summary {
  const summary: Summary = { errors: 0, warnings: 0, infos: 0 };
  for (const file of files) {
    for (const message of file.messages) {
      const severity = severityOf(message);
      if (severity === 'error') summary.errors++;
      else if (severity === 'warning') summary.warnings++;
      else summary.infos++;
    }
  }
  return summary;
}

/** Messages as plain JSON objects (for `--json` and the preview overlay). */
export function messagesAsJson(files: readonly VFile[], { cwd = process.cwd() } = {}): object[] {
  return ordered(files).map(({ file, message }) => ({
    file: file.path ? relative(cwd, file.path) : null,
    line: message.line ?? null,
    column: message.column ?? null,
    severity: severityOf(message),
    message: message.reason,
    ruleId: message.ruleId ?? null,
    hint: message.note ?? null,
  }));
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
