import { resolve } from 'node:path';
import { purgeRetained } from '../audience/retention.ts';
import { applyReport, bounceSettings, formatBounceSummary, processBounces } from '../bounces/index.ts';
import { purgeExpired } from './confirmations.ts';
import type { ServeDeps } from './types.ts';
import { StoreBusy } from './writes.ts';

const HOUR_MS = 60 * 60 * 1000;
/** How often journaled unsubscribes are tried while any wait (only then is the journal read). */
const DRAIN_EVERY_MS = 2_000;

type Task = (deps: ServeDeps) => Promise<void>;

/**
 * Deletes expired confirmations and never-confirmed web subscribers, and what is past the
 * retention period (GDPR storage limitation), through the write gate.
 */
const purge: Task = async (deps) => {
  const purged = await deps.writes.run(() => purgeExpired(deps));
  if (purged.confirmations + purged.subscribers > 0) {
    deps.log(
      `purge: ${purged.confirmations} expired confirmation(s), ${purged.subscribers} unconfirmed subscriber(s) deleted`,
    );
  }
  const old = await deps.writes.run(() => purgeRetained(deps.store, deps.config, deps.clock()));
  if (old.deliveries + old.webhookEvents + old.bounceReports > 0) {
    deps.log(
      `purge: ${old.deliveries} delivery row(s), ${old.webhookEvents} webhook event(s), ${old.bounceReports} bounce report(s) past retention deleted`,
    );
  }
};

/** Reads the bounce mailbox (`bounces.mailbox`), each report through the write gate. */
const bounces: Task = async (deps) => {
  const mailbox = deps.config.bounces.mailbox;
  if (mailbox === undefined) return;
  const settings = bounceSettings(deps.config, deps.secret);
  const summary = await processBounces(deps.store, settings, resolve(deps.config.root, mailbox), {
    apply: (report) => deps.writes.run(() => applyReport(deps.store, settings, report)),
  });
  const read = Object.values(summary.outcomes).reduce((a, b) => a + b, 0);
  if (read > 0) deps.log(`bounces: ${formatBounceSummary(summary)[0]!}`);
};

/** Applies the one-click unsubscribes journaled while the database was busy. */
const drain: Task = async (deps) => {
  const applied = await deps.unsubscribes.drain();
  if (applied > 0) deps.log(`unsubscribe: ${applied} journaled request(s) applied`);
};

const TASKS: [string, Task][] = [
  ['purge', purge],
  ['unsubscribe journal', drain],
];

/** The hourly tasks. */
const HOURLY: [string, Task][] = [
  ['purge', purge],
  ['bounces', bounces],
];

/**
 * The upkeep at start-up, before `serve` listens. A database held by another process postpones it
 * to the timers (logged); any other failure is thrown, so `serve` refuses to start rather than run
 * with a database it cannot write.
 */
export async function firstUpkeep(deps: ServeDeps): Promise<void> {
  for (const [name, task] of TASKS) {
    try {
      await task(deps);
    } catch (error) {
      if (!(error instanceof StoreBusy)) throw error;
      deps.log(`${name}: postponed, the database is busy`);
    }
  }
}

/**
 * Starts the timers: the purge and the bounce mailbox every hour, the unsubscribe journal every few seconds while it
 * holds anything. Neither ever throws out of its timer: a failure is logged (by name and code, no
 * message — it could quote data) and tried again next time. Returns a function that stops them.
 */
export function startUpkeep(deps: ServeDeps): () => void {
  const purger = setInterval(() => void hourlyUpkeep(deps), HOUR_MS).unref();
  const drainer = setInterval(() => {
    if (deps.unsubscribes.pending) void runSafely(deps, 'unsubscribe journal', drain);
  }, DRAIN_EVERY_MS).unref();
  return () => {
    clearInterval(purger);
    clearInterval(drainer);
  };
}

/** The hourly tasks, one after the other; failures are logged, never thrown. */
export async function hourlyUpkeep(deps: ServeDeps): Promise<void> {
  for (const [name, task] of HOURLY) await runSafely(deps, name, task);
}

/** One last try at the journal before shutdown (what stays is applied on the next start). */
export function lastUpkeep(deps: ServeDeps): Promise<void> {
  return runSafely(deps, 'unsubscribe journal', drain);
}

async function runSafely(deps: ServeDeps, name: string, task: Task): Promise<void> {
  try {
    await task(deps);
  } catch (error) {
    if (error instanceof StoreBusy) return deps.log(`${name}: postponed, the database is busy`);
    const code = (error as { code?: unknown } | null)?.code;
    deps.log(
      `${name} failed: ${(error as Error | null)?.name ?? 'error'}${typeof code === 'string' ? ` ${code}` : ''}`,
    );
  }
}
