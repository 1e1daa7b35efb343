import { resolve } from 'node:path';
import { openStore, type Store } from '../audience/index.ts';
import type { Config } from '../config/schema.ts';
import { isUserError } from '../errors.ts';
import type { SendOptions, SendResult } from '../send/index.ts';
import { findCampaign } from '../send/ledger.ts';
import { alive, type Holder } from '../send/lock.ts';
import { byId, claimDue, countDue, setStatus, touchClaim, type Schedule } from './store.ts';
import { formatIn } from './when.ts';
import { sourceStackOf } from '../errors/stack.ts';

/** Options of {@link runDueSends}. */
export interface DueOptions {
  /** Decides what is due; default the system clock. */
  clock?: () => Date;
  /** Secrets for the sends; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** One line per start and end of a due send. Never given an address. */
  log: (line: string) => void;
  /** The send's own output (its summary lists failed addresses): the CLI prints it, serve drops it. */
  out?: (text: string) => void;
  err?: (text: string) => void;
  /** Aborting it stops a running send cleanly; the schedule waits for the next check. */
  signal?: AbortSignal | undefined;
  /** More options for each send (tests: a fast retry policy, a stub's URL). */
  sendOptions?: Partial<SendOptions>;
}

/** What happened to one due send. */
export interface DueRun {
  /** The schedule as it is after the run. */
  schedule: Schedule;
  /** `sent`, `failed`, or `waiting`: put back to be tried at the next check. */
  result: 'sent' | 'failed' | 'waiting';
  /** A one-line account, no addresses. */
  message: string;
}

/**
 * Starts every scheduled send that is due, one after another: claim it (so two processes never
 * both start it), then `sendIssue` as `send <id> --yes` would, preflight included. The outcome is
 * written to the schedule: `sent`; `failed` with the error, to be seen in `send --scheduled` and
 * the report; or back to waiting when it was interrupted, another process holds the campaign's
 * send lock, or the database was busy. Returns what it did; nothing when nothing is due.
 */
export async function runDueSends(config: Config, options: DueOptions): Promise<DueRun[]> {
  const clock = options.clock ?? (() => new Date());
  const store = openStore(config.database, { env: options.env ?? process.env, now: clock });
  try {
    // A read first: the write lock is only taken when something is due.
    if (countDue(store, clock().toISOString()) === 0) return [];
    const runs: DueRun[] = [];
    const tried = new Set<number>();
    while (!options.signal?.aborted) {
      const schedule = claimDue(store, clock(), tried);
      if (!schedule) break;
      tried.add(schedule.id);
      runs.push(await runOne(config, store, schedule, { ...options, clock }));
    }
    return runs;
  } finally {
    store.close();
  }
}

async function runOne(
  config: Config,
  store: Store,
  schedule: Schedule,
  options: DueOptions & { clock: () => Date },
): Promise<DueRun> {
  const { sendIssue } = await import('../send/index.ts');
  const name = `scheduled send of ${schedule.issueId} (due ${formatIn(schedule.dueAt, schedule.zone)})`;
  options.log(`${name}: starting${schedule.attempts > 1 ? ` (attempt ${schedule.attempts})` : ''}`);
  const heartbeat = setInterval(() => touchClaim(store, schedule.id, options.clock()), 60_000).unref();
  let result: DueRun['result'];
  let message: string;
  try {
    const sent = await sendIssue(config, sendOptionsFor(config, schedule, options));
    [result, message] = ['sent', describeResult(sent)];
  } catch (error) {
    const text = describeError(error);
    const wait = waitReason(store, schedule.issueId, error, options.signal);
    [result, message] = wait
      ? ['waiting', `${wait}; tried again at the next check (${text})`]
      : ['failed', text];
    if (!isUserError(error) && !wait)
      options.log(`${name}: internal error (a bug): ${redact(sourceStackOf(error))}`);
  } finally {
    clearInterval(heartbeat);
  }
  setStatus(store, schedule.id, result === 'waiting' ? 'scheduled' : result, message);
  options.log(`${name}: ${result === 'failed' ? 'FAILED: ' : ''}${message}`);
  return { schedule: byId(store, schedule.id)!, result, message };
}

/** The options of `send <id> --yes` for a schedule: its issue, lists and transport, no progress bar. */
function sendOptionsFor(config: Config, schedule: Schedule, options: DueOptions): SendOptions {
  return {
    issueId: schedule.issueId,
    issuesDir: resolve(config.root, schedule.issuesDir),
    lists: schedule.lists ?? undefined,
    transport: schedule.transport ?? undefined,
    yes: true,
    interactive: false,
    progress: false,
    env: options.env,
    out: options.out ?? (() => undefined),
    err: options.err ?? (() => undefined),
    signal: options.signal,
    ...options.sendOptions,
  };
}

/** Why a failed run should simply be tried again later, if it should. */
function waitReason(
  store: Store,
  issueId: string,
  error: unknown,
  signal: AbortSignal | undefined,
): string | undefined {
  if (signal?.aborted) return 'interrupted';
  if (isUserError(error) && error.name === 'DatabaseError') return 'the database could not be used';
  // A `send <id>` started by hand holds the campaign's lock (a row in `meta`, see send/lock.ts).
  const campaign = findCampaign(store, issueId);
  if (!campaign) return undefined;
  const value = store.db
    .prepare<[string], string>('SELECT value FROM meta WHERE key = ?')
    .pluck()
    .get(`send_lock/${campaign.id}`);
  const holder = value === undefined ? undefined : (JSON.parse(value) as Holder);
  if (holder && holder.pid !== process.pid && alive(holder, Date.now()))
    return `another process (${holder.pid} on ${holder.host}) is sending ${issueId}`;
  return undefined;
}

function describeResult(result: SendResult): string {
  if (result.outcome === 'complete' || result.outcome === 'already-sent') {
    const { counts } = result;
    const tally = `${counts.sent} sent, ${counts.failed} failed, ${counts.skipped} skipped of ${counts.total} recipients`;
    return result.outcome === 'complete' ? `complete: ${tally}` : `already sent (${tally}); nothing to do`;
  }
  return result.outcome;
}

function describeError(error: unknown): string {
  if (isUserError(error))
    return redact(`${error.name}: ${error.message}${error.hint ? ` (hint: ${error.hint})` : ''}`);
  return redact(`internal error: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * Blanks anything shaped like an email address: outcomes are kept in the database and logged by
 * `serve`, and a provider's reason may quote a recipient (`forget` could not find it there).
 */
export function redact(text: string): string {
  return text.replace(/[^\s<>"'`(),;:[\]]+@[^\s<>"'`(),;:[\]]+\.[^\s<>"'`(),;:[\]]+/g, (found) =>
    // A sentence's full stop is not part of the address.
    found.endsWith('.') ? '[address].' : '[address]',
  );
}
