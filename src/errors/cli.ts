import type { CatalogPart } from './names.ts';

const SCHEDULE_HELP = 'See `nyhetsbrev send --help` and README → Scheduled sends.';

interface ChoiceArgs {
  value: string;
  known: readonly string[];
}

interface PortArgs {
  host: string;
  port: number;
  code: string;
}

/** Errors of the command line's own arguments. */
export const CLI = {
  ServePortInvalid: {
    name: 'UsageError',
    message: ({ port }: { port: string }) => `--port ${port} is not a port number.`,
    hint: 'Give a number from 1 to 65535.',
  },
  TransportUnknown: {
    name: 'UsageError',
    message: ({ value }: ChoiceArgs) => `Unknown transport "${value}".`,
    hint: ({ known }: ChoiceArgs) => `Use one of: ${known.join(', ')}.`,
  },
  LogFormatUnknown: {
    name: 'UsageError',
    message: ({ value }: ChoiceArgs) => `Unknown log format "${value}".`,
    hint: ({ known }: ChoiceArgs) => `Use one of: ${known.join(', ')}.`,
  },
  PreviewPortInvalid: {
    name: 'UsageError',
    message: ({ port }: { port: string }) => `--port ${port} is not a port number.`,
    hint: 'Use a number from 1 to 65535, or 0 for any free port.',
  },
  /** `code` is the listen error's code: EADDRINUSE, EACCES or EADDRNOTAVAIL. */
  PortInUse: {
    name: 'PortInUse',
    message: ({ host, port, code }: PortArgs) => `Cannot listen on ${host}:${port} (${code}).`,
    hint: ({ port, code }: PortArgs) =>
      code === 'EADDRINUSE'
        ? `Another program (perhaps another preview) uses port ${port}: stop it, or pass --port ${port + 1}.`
        : 'Pick another --port or --host.',
  },
  BouncesNoMailbox: {
    name: 'UsageError',
    message: () => 'No mailbox to read bounces from.',
    hint: 'Give a Maildir folder or mbox file: `nyhetsbrev bounces /var/mail/bounces`, or set bounces.mailbox in nyhetsbrev.yml.',
  },
  SendWhichIssue: {
    name: 'UsageError',
    message: () => 'Which issue? `nyhetsbrev send <id>`.',
    hint: 'Give the issue id, such as 2026-11; or --scheduled, --due.',
  },
  /** `flags` are the schedule options given, without their dashes. */
  ScheduleFlagsCombined: {
    name: 'UsageError',
    message: ({ flags }: { flags: readonly string[] }) => `--${flags.join(' and --')} cannot be combined.`,
    hint: SCHEDULE_HELP,
  },
  ScheduleNeedsId: {
    name: 'UsageError',
    message: ({ flag }: { flag: string }) =>
      `--${flag} needs the issue id: \`nyhetsbrev send <id> --${flag}\`.`,
    hint: SCHEDULE_HELP,
  },
  ScheduleTakesNoId: {
    name: 'UsageError',
    message: ({ flag }: { flag: string }) => `--${flag} takes no issue id; it covers every scheduled send.`,
    hint: SCHEDULE_HELP,
  },
  ScheduleNotNow: {
    name: 'UsageError',
    message: () => '--test and --uncertain are for a send now; leave them out of a scheduled send.',
    hint: SCHEDULE_HELP,
  },
  DueSendsFailed: {
    name: 'SendStopped',
    message: ({ failed, due }: { failed: readonly string[]; due: number }) =>
      `${failed.length} of ${due} due send(s) failed: ${failed.join(', ')} (reasons above).`,
    hint: 'Fix the cause, then schedule it again (`nyhetsbrev send <id> --at …`) or send it now (`nyhetsbrev send <id>`). `nyhetsbrev send --scheduled` shows the failures.',
  },
} satisfies CatalogPart;
