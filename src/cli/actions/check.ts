import { join } from 'node:path';
import type { Command } from 'commander';
import type { CheckOptions } from './check-report.ts';
import {
  bootMjmlThread,
  loadMjmlEarly,
  stopMjmlThread,
  unchangedSinceLastTime,
} from '../../render/mjml-early.ts';

/**
 * `nyhetsbrev check`: runs every rule over the given issues (default: all, drafts included) and
 * prints the messages; throws `CheckFailed` on errors (and on warnings with `--frail`). This
 * module only sets up its start-up; check-report.ts does the work.
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
  const { checkAndReport } = await import('./check-report.ts');
  await checkAndReport(ids, options, config, folders.done);
}
