/**
 * A worker thread of `runInParallel`: does the jobs it is sent — compiling issues, or rendering
 * emails — and posts the results back, until the main thread says it is done. Started through
 * `bin/run-ts.js` (TypeScript). Renderers load only for email jobs (MJML takes a second).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { IssueBytes } from '../read/scan.ts';
import { compileForCache, type CompileJob } from './jobs.ts';
import type { WorkerData } from './parallel.ts';
import type { FromWorker, ToWorker } from './pool.ts';

const port = parentPort!;
const data = workerData as WorkerData;
let run: (job: unknown) => unknown;
if (data.kind === 'email') {
  const { emailJob } = await import('./email-job.ts');
  const context = (data as WorkerData<'email'>).context;
  run = (job) => emailJob(job as IssueBytes, data.config, context);
} else {
  run = (job) => compileForCache(job as CompileJob, data.config);
}

// One message after the other, even while an email job awaits MJML.
let last = Promise.resolve();
port.on('message', (message: ToWorker) => {
  last = last.then(() => handle(message));
});

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'done') {
    port.close();
    return;
  }
  const results: { index: number; result: unknown }[] = [];
  for (const { index, job } of message.jobs) {
    try {
      results.push({ index, result: await run(job) });
    } catch {
      // A bug shows up when the main thread does the job again and throws there.
      results.push({ index, result: undefined });
    }
  }
  const reply: FromWorker = { type: 'results', results };
  port.postMessage(reply);
}

const ready: FromWorker = { type: 'ready' };
port.postMessage(ready);
