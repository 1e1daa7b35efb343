import { checkIssue, issueIds, uniqueFiles } from '../../check/index.ts';
import type { Config } from '../../config/schema.ts';
import { UserError } from '../../errors.ts';
import { E } from '../../errors/catalog.ts';
import { loadArchive } from '../../pipeline.ts';
import { formatMessages, messagesAsJson, summarise } from '../../report/reporter.ts';
import type { VFile } from 'vfile';

/** Options of `nyhetsbrev check`. */
export interface CheckOptions {
  issues: string;
  json: boolean;
  frail: boolean;
}

/**
 * The work of `nyhetsbrev check` (check.ts): checks the issues `ids` (default: all), prints the
 * messages, calls `done` once they are checked, and throws `CheckFailed` on errors (and on
 * warnings with `--frail`).
 */
export async function checkAndReport(
  ids: string[],
  options: CheckOptions,
  config: Config,
  done: () => void,
): Promise<void> {
  const archive = await loadArchive(options.issues, config, ids.length > 0 ? { only: ids } : {});
  const wanted = ids.length > 0 ? ids : issueIds(archive);
  const results = [];
  for (const id of wanted) results.push(await checkIssue(archive, id, config));
  const files = uniqueFiles(results);
  done();
  print(wanted, files, options.json);
  const summary = summarise(files);
  const failing = summary.errors + (options.frail ? summary.warnings : 0);
  if (failing > 0) {
    const what =
      options.frail && summary.errors === 0
        ? `${summary.warnings} warning(s) (--frail)`
        : `${summary.errors} error(s)`;
    throw new UserError(E.CheckFailed, { what, issues: wanted.length });
  }
}

function print(wanted: string[], files: readonly VFile[], json: boolean): void {
  if (json) {
    const summary = summarise(files);
    process.stdout.write(
      `${JSON.stringify({ issues: wanted, summary, messages: messagesAsJson(files) }, null, 2)}\n`,
    );
    return;
  }
  const report = formatMessages(files);
  process.stdout.write(
    report
      ? `${report}\n`
      : `${wanted.length} issue(s) checked (${wanted.join(', ') || 'none'}): no problems.\n`,
  );
}
