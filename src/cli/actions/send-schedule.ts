import { openStore } from '../../audience/index.ts';
import type { Config } from '../../config/schema.ts';
import { UserError } from '../../errors.ts';
import { E } from '../../errors/catalog.ts';
import { scheduleReport } from '../../report/issue-report.ts';
import { runDueSends } from '../../schedule/due.ts';
import { formatSchedules } from '../../schedule/format.ts';
import { cancelSchedule, scheduleSend } from '../../schedule/schedule.ts';
import { allSchedules } from '../../schedule/store.ts';
import { formatIn } from '../../schedule/when.ts';
import type { SendOptions } from '../../send/index.ts';
import { printJson, toStderr } from '../json.ts';

/** The `send` flags of scheduled sends. */
export interface ScheduleFlags {
  at?: string;
  cancel?: boolean;
  scheduled?: boolean;
  due?: boolean;
  json?: boolean;
}

/** True when the flags ask for one of the scheduled-send actions below. */
export function wantsSchedule(flags: ScheduleFlags): boolean {
  return Boolean(flags.at !== undefined || flags.cancel || flags.scheduled || flags.due);
}

/**
 * `send <id> --at TIME`, `send <id> --cancel`, `send --scheduled`, `send --due`. `send` holds the
 * rest of the options (lists, transport, --yes, --dry-run) as it would for a send now.
 */
export async function runScheduleAction(
  config: Config,
  id: string | undefined,
  flags: ScheduleFlags,
  send: Omit<SendOptions, 'issueId'>,
): Promise<void> {
  const chosen = (['at', 'cancel', 'scheduled', 'due'] as const).filter(
    (k) => flags[k] !== undefined && flags[k] !== false,
  );
  if (chosen.length > 1) throw new UserError(E.ScheduleFlagsCombined, { flags: chosen });
  const needsId = flags.at !== undefined || flags.cancel === true;
  if (needsId && id === undefined) throw new UserError(E.ScheduleNeedsId, { flag: String(chosen[0]) });
  if (!needsId && id !== undefined) throw new UserError(E.ScheduleTakesNoId, { flag: String(chosen[0]) });
  if (send.test || send.uncertain) throw new UserError(E.ScheduleNotNow);
  const say = flags.json ? toStderr : (text: string) => void process.stdout.write(`${text}\n`);
  if (flags.at !== undefined) {
    const done = await scheduleSend(config, { ...send, issueId: id!, at: flags.at, out: say });
    if (flags.json) {
      printJson({
        issueId: id,
        dueAt: done.time.at.toISOString(),
        zone: done.time.zone,
        scheduled: done.schedule ? scheduleReport(done.schedule) : null,
        replaced: done.replaced ? scheduleReport(done.replaced) : null,
        plan: done.plan,
      });
    }
  } else if (flags.cancel) {
    const cancelled = cancelSchedule(config, id!, send.env);
    say(
      `Cancelled the scheduled send of ${id} (due ${formatIn(cancelled.dueAt, cancelled.zone)}). Nothing was sent.`,
    );
    if (flags.json) printJson({ issueId: id, cancelled: true, dueAt: cancelled.dueAt });
  } else if (flags.scheduled) {
    listScheduled(config, flags.json ?? false);
  } else {
    await runDue(config, flags.json ?? false, send);
  }
}

function listScheduled(config: Config, json: boolean): void {
  const store = openStore(config.database);
  try {
    const schedules = allSchedules(store);
    if (json) printJson(schedules.map(({ id: _id, ...rest }) => rest));
    else process.stdout.write(`${formatSchedules(schedules, new Date())}\n`);
  } finally {
    store.close();
  }
}

async function runDue(config: Config, json: boolean, send: Omit<SendOptions, 'issueId'>): Promise<void> {
  const say = json ? toStderr : (text: string) => void process.stdout.write(`${text}\n`);
  const runs = await runDueSends(config, {
    log: say,
    out: say,
    err: toStderr,
    signal: send.signal,
    sendOptions: { isolateBuild: send.isolateBuild },
  });
  if (json) {
    printJson(
      runs.map((run) => ({ issueId: run.schedule.issueId, result: run.result, message: run.message })),
    );
  } else if (runs.length === 0) {
    say('No scheduled sends are due.');
  }
  for (const { schedule, result } of runs) {
    if (result === 'waiting')
      say(
        `${schedule.issueId} waits for the next check; \`nyhetsbrev send ${schedule.issueId} --cancel\` stops it for good.`,
      );
  }
  const failed = runs.filter((run) => run.result === 'failed');
  if (failed.length > 0) {
    const ids = failed.map((run) => run.schedule.issueId);
    throw new UserError(E.DueSendsFailed, { failed: ids, due: runs.length });
  }
}
