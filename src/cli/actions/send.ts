import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { E } from '../../errors/catalog.ts';
import { sendIssue } from '../../send/index.ts';
import type { TransportName } from '../../send/types.ts';
import { configOf, isInteractive } from '../context.ts';
import { sendAsJson } from './send-json.ts';
import { runScheduleAction, wantsSchedule, type ScheduleFlags } from './send-schedule.ts';

/** The flags of `nyhetsbrev send`, as commander parses them. */
export interface SendFlags extends ScheduleFlags {
  list?: string[];
  test?: string[];
  dryRun?: boolean;
  yes?: boolean;
  transport?: TransportName;
  issues: string;
  uncertain?: 'skip' | 'resend';
}

/**
 * `nyhetsbrev send <id>`: sends (or test-sends, or plans) an issue; Ctrl-C stops it cleanly. With
 * `--at`, `--cancel`, `--scheduled` or `--due`, the scheduled-send actions (send-schedule.ts).
 */
export async function send(id: string | undefined, flags: SendFlags, command: Command): Promise<void> {
  const config = configOf(command);
  const controller = new AbortController();
  // First Ctrl-C: stop cleanly (the ledger records where the send stood); second: quit at once.
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nStopping after the chunks in flight… (Ctrl-C again to quit at once)\n');
    controller.abort(new Error('Interrupted by Ctrl-C'));
  };
  process.on('SIGINT', onSigint);
  try {
    const options = {
      issuesDir: flags.issues,
      lists: flags.list,
      transport: flags.transport,
      dryRun: flags.dryRun,
      yes: flags.yes,
      test: flags.test,
      uncertain: flags.uncertain,
      interactive: isInteractive() && Boolean(process.stdin.isTTY),
      progress: isInteractive() && !flags.json,
      signal: controller.signal,
      // The renderers (~150 MB of module code, never unloaded) stay out of the sending process.
      isolateBuild: true,
    };
    if (wantsSchedule(flags)) return await runScheduleAction(config, id, flags, options);
    if (id === undefined) {
      throw new UserError(E.SendWhichIssue);
    }
    if (flags.json) return await sendAsJson(config, { ...options, issueId: id });
    await sendIssue(config, { ...options, issueId: id });
  } finally {
    process.off('SIGINT', onSigint);
  }
}
