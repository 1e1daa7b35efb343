import { Option, type Command } from 'commander';
import { TRANSPORT_NAMES } from '../../send/types.ts';
import type { SendFlags } from '../actions/send.ts';

/** Declares `nyhetsbrev send`; src/cli/actions/send.ts runs it. */
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
      new Option('--transport <name>', 'transport (default: transport.default of the config)').choices(
        TRANSPORT_NAMES,
      ),
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
    .action(async (id: string | undefined, flags: SendFlags, command: Command) =>
      (await import('../actions/send.ts')).send(id, flags, command),
    );
}
