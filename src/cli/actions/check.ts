import { join } from 'node:path';
import type { Command } from 'commander';
import {
  bootMjmlThread,
  loadMjmlEarly,
  stopMjmlThread,
  unchangedSinceLastTime,
} from '../../render/mjml-early.ts';

/** Options of `nyhetsbrev check`. */
export interface CheckOptions {
  issues: string;
  json: boolean;
  frail: boolean;
}

/**
 * `nyhetsbrev check`: runs every rule over the given issues (default: all, drafts included) and
 * prints the messages; throws `CheckFailed` on errors (and on warnings with `--frail`).
 */
export async function check(ids: string[], options: CheckOptions, command: Command): Promise<void> {
  // MJML loads on a second core while the issues are read and parsed (render/mjml-early.ts): its
  // thread boots while the config loads, and loads MJML unless the issues are as the last check
  // left them (their emails' results are then kept, and the thread is let go unused).
  bootMjmlThread();
  const config = (await import('../context.ts')).configOf(command);
  const folders = unchangedSinceLastTime(
    ids.length > 0 ? ids.map((id) => join(options.issues, id)) : [options.issues],
  );
  if (folders.unchanged) void stopMjmlThread();
  else loadMjmlEarly();
  // Only now the modules that read, parse and check issues, while MJML loads beside them.
  const [
    { checkIssue, issueIds, uniqueFiles },
    { loadArchive },
    { formatMessages, messagesAsJson, summarise },
    { UserError },
    { E },
  ] = await Promise.all([
    import('../../check/index.ts'),
    import('../../pipeline.ts'),
    import('../../report/reporter.ts'),
    import('../../errors.ts'),
    import('../../errors/catalog.ts'),
  ]);
  const archive = await loadArchive(options.issues, config, ids.length > 0 ? { only: ids } : {});
  const wanted = ids.length > 0 ? ids : issueIds(archive);
  const results = [];
  for (const id of wanted) results.push(await checkIssue(archive, id, config));
  const files = uniqueFiles(results);
  folders.done();
  const summary = summarise(files);
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ issues: wanted, summary, messages: messagesAsJson(files) }, null, 2)}\n`,
    );
  } else {
    const report = formatMessages(files);
    process.stdout.write(
      report
        ? `${report}\n`
        : `${wanted.length} issue(s) checked (${wanted.join(', ') || 'none'}): no problems.\n`,
    );
  }
  const failing = summary.errors + (options.frail ? summary.warnings : 0);
  if (failing > 0) {
    const what =
      options.frail && summary.errors === 0
        ? `${summary.warnings} warning(s) (--frail)`
        : `${summary.errors} error(s)`;
    throw new UserError(E.CheckFailed, { what, issues: wanted.length });
  }
}
