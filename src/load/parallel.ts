import { availableParallelism } from 'node:os';
import type { ArchiveContext } from '../assemble/index.ts';
import type { BuiltEmail } from '../cache/emails.ts';
import type { Config } from '../config/schema.ts';
import type { IssueBytes } from '../read/scan.ts';
import type { CompiledIssue } from '../render/compile.ts';
import type { ResourceLimits } from 'node:worker_threads';
import { compileJob, type CompileJob, type WrittenIssue } from './jobs.ts';
import { Helper, Queue } from './pool.ts';

/**
 * The kinds of job the pool runs: each with its job, its result (undefined: the caller does the
 * job again on its own, see `compileJob` and `emailJob`) and what every job of a run shares.
 */
export interface Kinds {
  compile: { job: CompileJob; result: CompiledIssue | WrittenIssue | undefined; context: undefined };
  email: { job: IssueBytes; result: BuiltEmail | undefined; context: ArchiveContext };
}

/** What a worker is started with. */
export interface WorkerData<K extends keyof Kinds = keyof Kinds> {
  config: Config;
  kind: K;
  context: Kinds[K]['context'];
}

/** Worker threads besides the main one (default {@link defaultThreads}); see `runInParallel`. */
export interface ParallelOptions {
  threads?: number | undefined;
  mainThread?: boolean | undefined;
  /**
   * Called with each result as it comes, whatever thread made it; what it returns is kept as the
   * result (the build cache spills a compiled issue's HTML to disk there, see `IssueCache.set`).
   */
  settle?: ((index: number, result: unknown) => unknown) | undefined;
  /** Each worker's heap sizes (default {@link WORKER_LIMITS} of the kind). */
  resourceLimits?: ResourceLimits | undefined;
}

/**
 * The heap sizes of a worker, by kind. While a build runs heaps grow slowly (`growHeapsSlowly`),
 * and a compile worker's stays near 70 MB; the cap bounds it when they do not (node run with its
 * own `--heap-growing-percent`), where uncapped it grew to 100–150 MB. A job that needs more (a
 * Markdown file of some 200 KB) kills its worker, and the main thread, uncapped, does that
 * worker's jobs. A smaller young generation (16 MB instead of 48) saved ≈ 25 MB more for ≈ 10 %
 * more CPU (bench/cold.ts, 1,000 issues): not worth it. Emails (MJML) are left uncapped.
 */
const WORKER_LIMITS: { [K in keyof Kinds]: ResourceLimits | undefined } = {
  compile: { maxOldGenerationSizeMb: 96 },
  email: undefined,
};

/**
 * Below this many jobs a worker is not worth starting: it takes ≈ 2 s of CPU to load the parser
 * through tsx and warm up (≈ 1 s more for MJML), while one issue compiles in ≈ 35 ms (measured by
 * bench/web.ts) and one email renders in ≈ 110 ms (parsing, MJML).
 */
export const MIN_PARALLEL_JOBS: { [K in keyof Kinds]: number } = { compile: 100, email: 40 };

// Jobs the main thread takes at a time: small bites, so it answers a waiting worker quickly.
const MAIN_CHUNK = 1;

/** Worker threads to use besides the main thread: one per further core, at most 7. */
export function defaultThreads(): number {
  return Math.max(0, Math.min(availableParallelism() - 1, 7));
}

/**
 * Compiles `jobs` (see `compileJob`) on the main thread and `threads` worker threads at once; see
 * {@link runInParallel}. `mainThread: false` leaves every job to the workers (for tests of the
 * worker path).
 */
export async function compileInParallel(
  jobs: readonly CompileJob[],
  config: Config,
  options: ParallelOptions = {},
): Promise<(CompiledIssue | undefined)[]> {
  const results = await runInParallel(
    'compile',
    jobs,
    { config, kind: 'compile', context: undefined },
    options,
    (job) => compileJob(job, config),
  );
  // A worker leaves out the content of a job with `content` (WrittenIssue); such jobs come with a
  // `settle` that makes it a CompiledIssue again (`IssueCache.keepWritten`).
  return results as (CompiledIssue | undefined)[];
}

/**
 * Runs `jobs` of one kind on the main thread (`run`) and `threads` worker threads at once,
 * sharing one queue, so every core works — when there are at least {@link MIN_PARALLEL_JOBS} of
 * them. Results are in job order whatever thread made them; a worker that fails to start or dies
 * leaves its jobs to the main thread. `mainThread: false` leaves every job to the workers but
 * those they fail (for tests of the worker path).
 */
export async function runInParallel<K extends keyof Kinds>(
  kind: K,
  jobs: readonly Kinds[K]['job'][],
  data: WorkerData<K>,
  { threads = defaultThreads(), mainThread = true, settle, resourceLimits }: ParallelOptions,
  run: (job: Kinds[K]['job']) => Kinds[K]['result'] | Promise<Kinds[K]['result']>,
): Promise<Kinds[K]['result'][]> {
  const results = new Array<Kinds[K]['result']>(jobs.length);
  const queue = new Queue(jobs.length);
  const count = !mainThread ? Math.max(1, threads) : jobs.length >= MIN_PARALLEL_JOBS[kind] ? threads : 0;
  const store = (index: number, result: Kinds[K]['result']) => {
    results[index] = (settle ? settle(index, result) : result) as Kinds[K]['result'];
  };
  const limits = resourceLimits ?? WORKER_LIMITS[kind];
  const helpers = Array.from({ length: count }, () => new Helper(jobs, data, queue, store, limits));
  try {
    for (;;) {
      // With `mainThread: false` (tests of the workers) it runs only what workers failed to.
      const indices = queue.take(MAIN_CHUNK, mainThread || helpers.every((helper) => helper.settled));
      if (indices.length > 0) {
        for (const index of indices) store(index, await run(jobs[index]!));
        // Let workers' messages in: they wait for their next chunk.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      if (helpers.every((helper) => helper.settled)) break;
      await queue.changed();
    }
  } finally {
    for (const helper of helpers) helper.stop();
  }
  return results;
}
