/**
 * The crash test's driver: a real `nyhetsbrev send` against the Resend stub in another process (so
 * the stub outlives the sender), SIGKILLed at seeded random points and started again until the
 * campaign completes.
 */
import { deliveriesPerRecipient, spawnResendStub, type StubProcess } from '../support/resend-stub-process.ts';
import { seededRandom } from '../support/resend-stub-rules.ts';
import type { StubFaults } from '../support/resend-stub.ts';
import {
  afterThisTest,
  ARCHIVE,
  ledger,
  SECRET,
  seedSubscribers,
  startCli,
  tempProject,
  type CliRun,
} from './helpers.ts';

/** What a crash run observed. */
export interface CrashReport {
  kills: number;
  runs: number;
  recipients: number;
  /** Emails the stub accepted per address. */
  perRecipient: Map<string, number>;
  requests: number;
  statuses: Record<string, number>;
  ledger: Record<string, number>;
  last: CliRun;
  ms: number;
}

/**
 * Sends issue 2025-01 to `recipients` subscribers through a stub started with `stubFlags`, killing
 * the sender `kills` times: mostly right after the stub received one of its requests (so the kill
 * lands while the provider processes it, or between its answer and the ledger write), sometimes
 * at a random moment of startup, freeze or backoff.
 */
export async function crashRun(options: {
  recipients: number;
  kills: number;
  seed: number;
  stubFlags: string[];
  /** Faults set over HTTP once the stub runs (rates plus a script that makes sure each occurs). */
  faults?: StubFaults;
}): Promise<CrashReport> {
  const started = Date.now();
  const random = seededRandom(options.seed);
  const stub: StubProcess = await spawnResendStub([
    '--rate-limit',
    '1000',
    '--seed',
    String(options.seed),
    ...options.stubFlags,
  ]);
  afterThisTest(() => stub.stop());
  if (options.faults) await stub.setFaults(options.faults);
  const project = tempProject(['transport:', '  default: resend', '  resend:', `    baseUrl: ${stub.url}`]);
  seedSubscribers(project, options.recipients);
  const env = { RESEND_API_KEY: 're_test_stub', NYHETSBREV_SECRET: SECRET };
  const args = ['send', '2025-01', '--issues', ARCHIVE, '--yes'];
  let kills = 0;
  let runs = 0;
  let last: CliRun | undefined;
  for (; runs < options.kills * 4; runs++) {
    const child = startCli(project, args, env);
    if (kills < options.kills) {
      const killed = await killSomewhere(child, stub, random);
      const run = await child.done;
      if (killed && run.signal === 'SIGKILL') {
        kills++;
        continue;
      }
      last = run;
    } else {
      last = await child.done;
    }
    // A run may stop with exit 1 when the faults exhaust its retries; the next one resumes.
    if (last.code === 0 && kills >= options.kills) break;
    if (last.code !== 0 && last.code !== 1) throw new Error(`send exited ${last.code}: ${last.stderr}`);
  }
  const requests = await stub.requests();
  const statuses: Record<string, number> = {};
  for (const r of requests) statuses[String(r.status)] = (statuses[String(r.status)] ?? 0) + 1;
  return {
    kills,
    runs: runs + 1,
    recipients: options.recipients,
    perRecipient: deliveriesPerRecipient(await stub.emails()),
    requests: requests.length,
    statuses,
    ledger: ledger(project),
    last: last!,
    ms: Date.now() - started,
  };
}

async function killSomewhere(
  child: ReturnType<typeof startCli>,
  stub: StubProcess,
  random: () => number,
): Promise<boolean> {
  const before = (await stub.requests()).length;
  const exited = child.done.then(() => 'exited' as const);
  const atRequest = random() < 0.8;
  // Time-based kills land anywhere in startup, the freeze, or the first chunks (the compiled CLI
  // starts in well under a second; a later kill would mostly cut into the sending itself).
  const deadline = Date.now() + (atRequest ? 60_000 : 100 + random() * 1200);
  // One or two requests in: each kill leaves most of the send for the kills after it.
  const target = before + 1 + Math.floor(random() * 2);
  for (;;) {
    const tick = await Promise.race([exited, new Promise((r) => setTimeout(r, 15, 'tick'))]);
    if (tick === 'exited') return false;
    if (Date.now() >= deadline) break;
    if (atRequest && (await stub.requests()).length >= target) {
      await new Promise((r) => setTimeout(r, random() * 40));
      break;
    }
  }
  return child.kill('SIGKILL');
}
