import { Option, type Command } from 'commander';
import { UserError } from '../../errors.ts';
import { configOf, isInteractive } from '../context.ts';
import type { ScheduleFlags } from './send-schedule.ts';

/** The flags of `nyhetsbrev send`, as commander parses them. */
interface SendFlags extends ScheduleFlags {
  list?: string[];
  test?: string[];
  dryRun?: boolean;
  yes?: boolean;
  transport?: 'resend' | 'smtp' | 'outbox';
  issues: string;
  uncertain?: 'skip' | 'resend';
}

/** Registers `nyhetsbrev send`. */
export function registerSend(program: Command): void {
  program
    .command('send')
    .description(
      'send an issue to subscribers, exactly once per recipient; a second run resumes the same campaign',
    )
    .argument('[id]', 'issue id, such as 2026-11')
    .option('--list <ids...>', 'send to these lists only (default: every list in lists.yml)')
    .option(
      '--test <addresses...>',
      'send "[TEST]" copies to these addresses only; the campaign is not touched',
    )
    .option('--dry-run', 'print the plan and the preflight verdict; send nothing')
    .option('--yes', 'send without asking for confirmation (needed when not on a terminal)')
    .addOption(
      new Option('--transport <name>', 'transport (default: transport.default of the config)').choices([
        'resend',
        'smtp',
        'outbox',
      ]),
    )
    .option('--issues <dir>', 'folder of issues', 'issues')
    .addOption(
      new Option(
        '--uncertain <choice>',
        'recipients whose earlier delivery has an unknown outcome: skip them, or send again',
      ).choices(['skip', 'resend']),
    )
    .option('--at <time>', 'schedule the send: "2026-12-10 08:00" (Europe/Stockholm unless a zone is given)')
    .option('--cancel', "cancel the issue's scheduled send")
    .option('--scheduled', 'list the scheduled sends')
    .option('--due', 'start the scheduled sends that are due (for cron and systemd timers)')
    .option('--json', 'print the plan (--dry-run), the result or the schedule as JSON on stdout')
    .action(async (id: string | undefined, flags: SendFlags, command: Command) => {
      const { runScheduleAction, wantsSchedule } = await import('./send-schedule.ts');
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
        };
        if (wantsSchedule(flags)) return await runScheduleAction(config, id, flags, options);
        if (id === undefined)
          throw new UserError('UsageError', 'Which issue? `nyhetsbrev send <id>`.', {
            hint: 'Give the issue id, such as 2026-11; or --scheduled, --due.',
          });
        if (flags.json)
          return await (await import('./send-json.ts')).sendAsJson(config, { ...options, issueId: id });
        // Loaded on use: the renderers (MJML) and the SDKs take a while to import, which --help should not pay.
        const { sendIssue } = await import('../../send/index.ts');
        await sendIssue(config, { ...options, issueId: id });
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
