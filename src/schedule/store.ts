/**
 * The `schedules` table (schema: src/audience/migrations.ts). A schedule moves through:
 *
 *   scheduled ──due, claimed──▶ running ──▶ sent | failed
 *      │  ▲                        │
 *      │  └── interrupted, or another process holds the campaign's send lock (tried again)
 *      └──▶ cancelled                 a claim whose process died is taken over like the send lock
 *
 * `--at` again on an issue replaces its waiting (or failed) schedule; a running one is left alone.
 */
import { hostname } from 'node:os';
import type { Store } from '../audience/index.ts';
import { alive, type Holder } from '../send/lock.ts';
import type { TransportName } from '../send/types.ts';

/** Status of a schedule. */
export type ScheduleStatus = 'scheduled' | 'running' | 'sent' | 'failed' | 'cancelled';

/** One scheduled send. */
export interface Schedule {
  id: number;
  issueId: string;
  /** When it is due, UTC ISO 8601. */
  dueAt: string;
  /** The zone the time was given in, for display. */
  zone: string;
  /** `--list` as given; null: every list. */
  lists: string[] | null;
  /** `--transport` as given; null: the config's default when it starts. */
  transport: TransportName | null;
  /** The issues folder, relative to the config file's folder. */
  issuesDir: string;
  status: ScheduleStatus;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** What the latest run said: a summary line, or the error (addresses blanked). */
  outcome: string | null;
}

/** What {@link addSchedule} records. */
export type NewSchedule = Pick<Schedule, 'issueId' | 'dueAt' | 'zone' | 'lists' | 'transport' | 'issuesDir'>;

interface ScheduleRecord {
  id: number;
  issue_id: string;
  due_at: string;
  zone: string;
  lists: string | null;
  transport: TransportName | null;
  issues_dir: string;
  status: ScheduleStatus;
  holder: string | null;
  attempts: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  outcome: string | null;
}

/**
 * Records a schedule. A waiting or failed schedule of the same issue is cancelled in the same
 * transaction and returned as `replaced`; a running one is returned as `running` and nothing is written.
 */
export function addSchedule(
  store: Store,
  input: NewSchedule,
): { schedule?: Schedule; replaced?: Schedule; running?: Schedule } {
  return store.transaction(() => {
    const current = latest(store, input.issueId);
    if (current?.status === 'running') return { running: current };
    const replaced = current?.status === 'scheduled' || current?.status === 'failed' ? current : undefined;
    if (replaced) setStatus(store, replaced.id, 'cancelled', `replaced by a schedule for ${input.dueAt}`);
    const { lastInsertRowid } = store.db
      .prepare(
        `INSERT INTO schedules (issue_id, due_at, zone, lists, transport, issues_dir, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'scheduled', ?)`,
      )
      .run(
        input.issueId,
        input.dueAt,
        input.zone,
        input.lists ? JSON.stringify(input.lists) : null,
        input.transport,
        input.issuesDir,
        store.now(),
      );
    return { schedule: byId(store, Number(lastInsertRowid))!, ...(replaced ? { replaced } : {}) };
  });
}

/** The issue's latest schedule, whatever its status. */
export function latest(store: Store, issueId: string): Schedule | undefined {
  const row = store.db
    .prepare<[string], ScheduleRecord>('SELECT * FROM schedules WHERE issue_id = ? ORDER BY id DESC LIMIT 1')
    .get(issueId);
  return row && toSchedule(row);
}

/** Every schedule, by due time (earliest first). */
export function allSchedules(store: Store): Schedule[] {
  return store.db
    .prepare<[], ScheduleRecord>('SELECT * FROM schedules ORDER BY due_at, id')
    .all()
    .map(toSchedule);
}

/** The schedule with this id. */
export function byId(store: Store, id: number): Schedule | undefined {
  const row = store.db.prepare<[number], ScheduleRecord>('SELECT * FROM schedules WHERE id = ?').get(id);
  return row && toSchedule(row);
}

/** How many schedules are due at `now` or have a running claim (a cheap read, no write lock). */
export function countDue(store: Store, now: string): number {
  return store.db
    .prepare<[string], number>(
      `SELECT count(*) FROM schedules WHERE (status = 'scheduled' AND due_at <= ?) OR status = 'running'`,
    )
    .pluck()
    .get(now)!;
}

/**
 * Claims the earliest due schedule for this process, in one write transaction: a waiting one due
 * at `now`, or a running one whose process is gone (pid gone on this host, or no heartbeat for
 * the send lock's stale time), leaving out the ids in `except` (tried already in this pass).
 * Undefined when there is none; another process then has it.
 */
export function claimDue(
  store: Store,
  now: Date,
  except: ReadonlySet<number> = new Set(),
): Schedule | undefined {
  const me: Holder = { pid: process.pid, host: hostname(), at: now.toISOString() };
  return store.transaction(() => {
    const rows = store.db
      .prepare<[string], ScheduleRecord>(
        `SELECT * FROM schedules WHERE (status = 'scheduled' AND due_at <= ?) OR status = 'running' ORDER BY due_at, id`,
      )
      .all(me.at);
    const row = rows.find(
      (r) => !except.has(r.id) && (r.status === 'scheduled' || !holderAlive(r.holder, now.getTime())),
    );
    if (!row) return undefined;
    store.db
      .prepare(
        `UPDATE schedules SET status = 'running', holder = ?, attempts = attempts + 1, started_at = ?, finished_at = NULL
         WHERE id = ?`,
      )
      .run(JSON.stringify(me), me.at, row.id);
    return byId(store, row.id);
  });
}

/** Refreshes this process's claim (a heartbeat, so another host does not take it over). */
export function touchClaim(store: Store, id: number, now: Date): void {
  const me: Holder = { pid: process.pid, host: hostname(), at: now.toISOString() };
  store.db
    .prepare(`UPDATE schedules SET holder = ? WHERE id = ? AND status = 'running' AND holder LIKE ?`)
    .run(JSON.stringify(me), id, `{"pid":${me.pid},%`);
}

/**
 * Sets a schedule's status and outcome, and releases its claim. Ending states (`sent`, `failed`,
 * `cancelled`) stamp `finished_at`; `scheduled` puts it back to wait for the next check.
 */
export function setStatus(store: Store, id: number, status: ScheduleStatus, outcome: string | null): void {
  store.db
    .prepare(
      `UPDATE schedules SET status = ?, outcome = ?, holder = NULL,
         finished_at = CASE WHEN ? = 'scheduled' THEN NULL ELSE ? END WHERE id = ?`,
    )
    .run(status, outcome, status, store.now(), id);
}

function holderAlive(holder: string | null, now: number): boolean {
  if (!holder) return false;
  return alive(JSON.parse(holder) as Holder, now);
}

function toSchedule(row: ScheduleRecord): Schedule {
  return {
    id: row.id,
    issueId: row.issue_id,
    dueAt: row.due_at,
    zone: row.zone,
    lists: row.lists === null ? null : (JSON.parse(row.lists) as string[]),
    transport: row.transport,
    issuesDir: row.issues_dir,
    status: row.status,
    attempts: row.attempts,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
  };
}
