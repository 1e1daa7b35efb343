import type { CatalogPart } from './names.ts';

const WRITE_IT_AS =
  'Write it as "2026-12-10 08:00" (Europe/Stockholm time), "2026-12-10 08:00 Europe/Helsinki", "2026-12-10T07:00Z" or "2026-12-10T08:00+01:00".';

/** Errors of scheduled sends (`send --at`, `--cancel`). Times are given formatted, with their zone. */
export const SCHEDULE = {
  AtNotATime: {
    name: 'ScheduleInvalid',
    message: ({ text }: { text: string }) => `"${text}" is not a date and time.`,
    hint: WRITE_IT_AS,
  },
  AtNoSuchDay: {
    name: 'ScheduleInvalid',
    message: ({ text }: { text: string }) =>
      `"${text}" is not a date and time: there is no such day or time of day.`,
    hint: WRITE_IT_AS,
  },
  OffsetInvalid: {
    name: 'ScheduleInvalid',
    message: ({ text }: { text: string }) => `${text} is not a UTC offset.`,
    hint: WRITE_IT_AS,
  },
  ZoneUnknown: {
    name: 'ScheduleInvalid',
    message: ({ name }: { name: string }) => `"${name}" is not a time zone.`,
    hint: 'Use an IANA name such as Europe/Stockholm, or an offset: +01:00.',
  },
  AtSkippedHour: {
    name: 'ScheduleInvalid',
    message: ({ text, zone }: { text: string; zone: string }) =>
      `${text} does not exist in ${zone}: the clocks go forward over that hour that night.`,
    hint: 'Pick a time outside the hour the clocks skip (such as 03:30), or give an offset: "…T02:30+01:00".',
  },
  AtInPast: {
    name: 'ScheduleInvalid',
    message: ({ at, now }: { at: string; now: string }) => `${at} is not in the future: it is now ${now}.`,
    hint: 'Give a later time, or leave out --at to send now.',
  },
  ScheduleNotConfirmed: {
    name: 'SendRefused',
    message: ({ recipients }: { recipients: number }) =>
      `Refusing to schedule a send to ${recipients} recipient(s) without confirmation: not running on a terminal. Nothing was scheduled.`,
    hint: 'Check the plan with --dry-run, then pass --yes to schedule without asking (as in scripts).',
  },
  /** `said` is what the dry run printed about the send already made. */
  ScheduleAlreadySent: {
    name: 'SendRefused',
    message: ({ said }: { issueId: string; said: readonly string[] }) =>
      `${said.join(' ')} Nothing was scheduled.`,
    hint: ({ issueId }: { issueId: string; said: readonly string[] }) =>
      `\`nyhetsbrev report ${issueId}\` shows how the send went.`,
  },
  /** `latest` describes the latest schedule, if any: "sent, due 2026-12-10 08:00 …". */
  NothingToCancel: {
    name: 'ScheduleRefused',
    message: ({ issueId, latest }: { issueId: string; latest: string | undefined }) =>
      `${issueId} has no scheduled send to cancel${latest ? ` (its latest was ${latest})` : ''}. Nothing changed.`,
    hint: '`nyhetsbrev send --scheduled` lists the scheduled sends.',
  },
  ScheduleRunning: {
    name: 'ScheduleRefused',
    message: ({ issueId, due }: { issueId: string; due: string }) =>
      `The scheduled send of ${issueId} (due ${due}) is running right now; it can be stopped, not cancelled or replaced. Nothing changed.`,
    hint: 'Stop the process sending it (`serve` or `nyhetsbrev send --due`); it then waits for the next check, and can be cancelled. Those already sent stay sent.',
  },
} satisfies CatalogPart;
