import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../src/audience/index.ts';
import { allSchedules, type Schedule } from '../../src/schedule/store.ts';
import { scheduleSend, type ScheduleOptions } from '../../src/schedule/schedule.ts';
import { startResendStub } from '../support/resend-stub.ts';
import {
  afterThisTest,
  ARCHIVE,
  SECRET,
  seedSubscribers,
  tempProject,
  type Project,
} from '../send/helpers.ts';

/** A clock the test moves by hand. */
export interface FakeClock {
  (): Date;
  set(iso: string): void;
}

/** A fake clock starting at `iso`. */
export function fakeClock(iso: string): FakeClock {
  let now = new Date(iso);
  return Object.assign(() => new Date(now), { set: (to: string) => void (now = new Date(to)) });
}

/** A project with its own copy of the send fixtures' archive (so a test can edit an issue) and `n` subscribers. */
export function scheduleProject(n: number, extra: string[] = []): Project & { issues: string } {
  const project = tempProject(extra);
  const issues = join(project.dir, 'issues');
  cpSync(ARCHIVE, issues, { recursive: true });
  seedSubscribers(project, n);
  return { ...project, issues };
}

/**
 * A project of `n` subscribers sending through a Resend stub (closed after the test) that holds
 * every request from number `from` on: `holding` resolves when the first is held, `release()`
 * lets them all go. `env` is what its sends need.
 */
export async function heldResendProject(n: number, from = 0) {
  let reached!: () => void;
  const holding = new Promise<void>((resolve) => (reached = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const stub = await startResendStub({
    rateLimit: 1000,
    hold: async (seq) => {
      if (seq < from) return;
      reached();
      await released;
    },
  });
  afterThisTest(() => stub.close());
  const project = scheduleProject(n, [
    'transport:',
    '  default: resend',
    '  resend:',
    `    baseUrl: ${stub.url}`,
  ]);
  const env = { NYHETSBREV_SECRET: SECRET, RESEND_API_KEY: 're_test_stub' };
  return { stub, project, env, holding, release };
}

/** Schedules issue 2025-01 of the project at `at` (Stockholm time) as `send 2025-01 --at … --yes` would. */
export async function schedule(
  project: Project & { issues: string },
  at: string,
  clock: FakeClock,
  options: Partial<ScheduleOptions> = {},
): Promise<{ out: string }> {
  let out = '';
  await scheduleSend(project.config(), {
    issueId: '2025-01',
    issuesDir: project.issues,
    at,
    yes: true,
    clock,
    env: { NYHETSBREV_SECRET: SECRET },
    out: (text) => (out += `${text}\n`),
    err: () => undefined,
    ...options,
  });
  return { out };
}

/** Every schedule in the project's database. */
export function schedules(project: Project): Schedule[] {
  const store = openStore(project.database, { env: {} });
  try {
    return allSchedules(store);
  } finally {
    store.close();
  }
}

/** The outbox's files. */
export function outboxFiles(project: Project): string[] {
  return existsSync(project.outbox) ? readdirSync(project.outbox).filter((f) => f.endsWith('.eml')) : [];
}

/** Recipients (To:) of the outbox's files, each once per file. */
export function outboxRecipients(project: Project): string[] {
  return outboxFiles(project).map((file) => {
    const to = /^To: (.*)$/m.exec(readFileSync(join(project.outbox, file), 'utf8'))?.[1] ?? '';
    return to.replace(/^.*<([^>]+)>$/, '$1').trim();
  });
}

/** Sets the issue's `status:` in its issue.md. */
export function setIssueStatus(project: { issues: string }, id: string, status: 'draft' | 'ready'): void {
  const file = join(project.issues, id, 'issue.md');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^status: \w+$/m, `status: ${status}`));
}
