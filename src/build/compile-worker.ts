/**
 * A worker thread of {@link compileInParallel}: compiles the jobs it is sent and posts the results
 * back, until the main thread says it is done. Started through `bin/run-ts.js` (TypeScript).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config/schema.ts';
import { compileJob } from './compile.ts';
import type { FromWorker, ToWorker } from './parallel.ts';

const port = parentPort!;
const config = (workerData as { config: Config }).config;

port.on('message', (message: ToWorker) => {
  if (message.type === 'done') {
    port.close();
    return;
  }
  const results = message.jobs.map(({ index, job }) => {
    try {
      return { index, compiled: compileJob(job, config) };
    } catch {
      // A bug shows up when the main thread compiles the issue again and throws there.
      return { index, compiled: undefined };
    }
  });
  const reply: FromWorker = { type: 'results', results };
  port.postMessage(reply);
});

const ready: FromWorker = { type: 'ready' };
port.postMessage(ready);
