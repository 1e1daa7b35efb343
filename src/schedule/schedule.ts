import { relative, resolve } from 'node:path';
import { databaseError, openStore, type Store } from '../audience/index.ts';
import type { Config } from '../config/schema.ts';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { confirmSend, formatPlan, type SendOptions, type SendPlan } from '../send/index.ts';
import { addSchedule, latest, setStatus, type Schedule } from './store.ts';
import { formatIn, parseSendTime, type SendTime } from './when.ts';

/** Options of {@link scheduleSend}: the `send` options that make sense for a later send, and `--at`. */
export type ScheduleOptions = Pick<
  SendOptions,
  'issueId' | 'issuesDir' | 'lists' | 'transport' | 'dryRun' | 'yes' | 'interactive' | 'ask' | 'env' | 'err'
> & {
  /** `--at`, as typed. */
  at: string;
  /** Default the system clock. */
  clock?: () => Date;
  out?: (text: string) => void;
};

/** What {@link scheduleSend} did. */
export interface Scheduled {
  plan: SendPlan;
  time: SendTime;
  /** Undefined for a dry run. */
  schedule: Schedule | undefined;
  /** The waiting or failed schedule this one replaced. */
  replaced: Schedule | undefined;
}

/**
 * `send <id> --at TIME`: reads the time (Europe/Stockholm unless a zone is given; must be in the
 * future), runs preflight now exactly as `--dry-run` does (refusing as a send would), asks for
 * confirmation like a send, and records the schedule. Nothing is frozen or sent: that happens
 * when `serve` or `send --due` starts it, with preflight run again then.
 */
export async function scheduleSend(config: Config, options: ScheduleOptions): Promise<Scheduled> {
  const out = options.out ?? ((text: string) => void process.stdout.write(`${text}\n`));
  const time = parseSendTime(options.at, (options.clock ?? (() => new Date()))());
  const plan = await preflightNow(config, options, out);
  const when = formatIn(time.at, time.zone);
  out(formatPlan(plan));
  if (time.later) {
    out(
      `note: ${options.at.trim()} occurs twice that night (the clocks go back); the first, summer-time one is used: ${when}. For the second, give "${options.at.trim().replace(' ', 'T')}+01:00".`,
    );
  }
  if (options.dryRun) {
    out(`Preflight: ok. Would schedule ${plan.issueId} for ${when}. Nothing was scheduled (dry run).`);
    return { plan, time, schedule: undefined, replaced: undefined };
  }
  const which = options.lists ? `lists ${options.lists.join(', ')}` : 'all lists';
  if (!options.yes && !options.interactive) {
    throw new UserError(E.ScheduleNotConfirmed, { recipients: plan.recipients });
  }
  await confirmSend(
    `Schedule ${plan.issueId} "${plan.subject}" for ${when}, to the ${which} via ${plan.transport} (${plan.recipients} recipients now)?`,
    plan.recipients,
    { yes: options.yes ?? false, interactive: options.interactive ?? false, ask: options.ask },
  );
  const recorded = record(config, options, plan, time);
  for (const line of scheduledLines(plan, when, recorded.replaced)) out(line);
  return { plan, time, schedule: recorded.schedule, replaced: recorded.replaced };
}

/** Records the schedule (replacing a waiting or failed one); refuses while the issue is being sent. */
function record(
  config: Config,
  options: ScheduleOptions,
  plan: SendPlan,
  time: SendTime,
): { schedule?: Schedule; replaced?: Schedule } {
  const recorded = withStore(config, options.env, (store) =>
    addSchedule(store, {
      issueId: plan.issueId,
      dueAt: time.at.toISOString(),
      zone: time.zone,
      lists: options.lists ? [...options.lists] : null,
      transport: options.transport ?? null,
      issuesDir: relative(config.root, resolve(options.issuesDir)) || '.',
    }),
  );
  if (recorded.running) throw runningNow(recorded.running);
  return recorded;
}

/** What was scheduled, and what will start it. */
function scheduledLines(plan: SendPlan, when: string, replaced: Schedule | undefined): string[] {
  const instead = replaced
    ? ` It replaces the one due ${formatIn(replaced.dueAt, replaced.zone)}${replaced.status === 'failed' ? ', which had failed' : ''}.`
    : '';
  return [
    `Scheduled ${plan.issueId} "${plan.subject}" for ${when}.${instead} Preflight runs again then, and the audience is frozen when it starts (${plan.recipients} recipients now).`,
    `It starts from \`nyhetsbrev serve\` (checks every minute) or \`nyhetsbrev send --due\` (the nyhetsbrev-send-due timer): keep one running. See it with \`nyhetsbrev send --scheduled\`; cancel with \`nyhetsbrev send ${plan.issueId} --cancel\`.`,
  ];
}

/**
 * `send <id> --cancel`: cancels the issue's waiting (or failed) schedule. Throws
 * `ScheduleRefused` when there is none, or when it is being sent right now.
 */
export function cancelSchedule(config: Config, issueId: string, env?: NodeJS.ProcessEnv): Schedule {
  return withStore(config, env, (store) =>
    store.transaction(() => {
      const current = latest(store, issueId);
      if (current?.status === 'running') throw runningNow(current);
      if (!current || current.status === 'sent' || current.status === 'cancelled') {
        const latest = current && `${current.status}, due ${formatIn(current.dueAt, current.zone)}`;
        throw new UserError(E.NothingToCancel, { issueId, latest });
      }
      setStatus(
        store,
        current.id,
        'cancelled',
        `by \`nyhetsbrev send ${issueId} --cancel\`${current.status === 'failed' ? ' after it failed' : ''}`,
      );
      return { ...current, status: 'cancelled' as const };
    }),
  );
}

/** The plan of a dry run; throws what preflight (or an already complete send) refuses. */
async function preflightNow(
  config: Config,
  options: ScheduleOptions,
  out: (text: string) => void,
): Promise<SendPlan> {
  const { sendIssue } = await import('../send/index.ts');
  const seen: { plan?: SendPlan } = {};
  const said: string[] = [];
  let result: Awaited<ReturnType<typeof sendIssue>>;
  try {
    result = await sendIssue(config, {
      ...options,
      dryRun: true,
      out: (text) => said.push(text),
      onPlan: (plan) => (seen.plan = plan),
    });
  } catch (error) {
    // The plan and every reason preflight refuses it, as `--dry-run` prints them.
    if (seen.plan) out(said.join('\n'));
    throw error;
  }
  if (result.outcome === 'already-sent') {
    throw new UserError(E.ScheduleAlreadySent, { issueId: options.issueId, said });
  }
  return seen.plan!;
}

function runningNow(schedule: Schedule): UserError {
  const due = formatIn(schedule.dueAt, schedule.zone);
  return new UserError(E.ScheduleRunning, { issueId: schedule.issueId, due });
}

function withStore<T>(config: Config, env: NodeJS.ProcessEnv | undefined, run: (store: Store) => T): T {
  const store = openStore(config.database, { env: env ?? process.env });
  try {
    return run(store);
  } catch (error) {
    throw databaseError(error, config.database);
  } finally {
    store.close();
  }
}
