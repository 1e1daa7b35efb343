/**
 * MJML loaded on a second core while the command does its own work: `check` boots a worker thread
 * first thing (≈ 0.1 s), which loads MJML (≈ 0.15 s) when told to and then compiles the command's
 * emails, while the main thread loads its config, the issue and renders its templates — the email
 * is then compiled without waiting for MJML to load on the main thread. Any failure of the thread
 * falls back to compiling in-process.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MJMLParsingOptions } from 'mjml-core';
import { keep, recall, resultKey } from '../cache/results.ts';
import type { MjmlAnswer, MjmlMessage, MjmlRequest } from './mjml-thread.ts';

/** What compiling MJML gives (as mjml.ts `MjmlResult`), and MJML's strict validation of it. */
type Compiled = Omit<Extract<MjmlAnswer, { html: string }>, 'id'>;

// Compiled to lib/ (the CLI), the thread is JavaScript beside this module; from src/ (tests) it is
// TypeScript, run through tsx's loader (as src/load/pool.ts does).
const COMPILED = import.meta.url.endsWith('.js');
const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
const THREAD = fileURLToPath(new URL(COMPILED ? './mjml-thread.js' : './mjml-thread.ts', import.meta.url));

interface Thread {
  worker: Worker;
  waiting: Map<number, { resolve: (result: Compiled) => void; reject: (error: Error) => void }>;
  next: number;
}

let thread: Thread | undefined;

/** Starts loading MJML on a worker thread (booted now unless it was); later compiles go to it. */
export function loadMjmlEarly(): void {
  bootMjmlThread();
  const load: MjmlMessage = 'load';
  thread?.worker.postMessage(load);
}

/**
 * Boots the worker thread of {@link loadMjmlEarly} (once per process) without loading MJML on it
 * yet: for a command that will know only later whether it needs MJML. A compile sent to it loads
 * MJML first; {@link stopMjmlThread} lets it go unused.
 */
export function bootMjmlThread(): void {
  if (thread) return;
  let worker: Worker;
  try {
    worker = COMPILED ? new Worker(THREAD) : new Worker(RUN_TS, { argv: [THREAD] });
  } catch {
    return;
  }
  const started: Thread = { worker, waiting: new Map(), next: 0 };
  thread = started;
  worker.on('message', (reply: MjmlAnswer) => {
    const waiter = started.waiting.get(reply.id);
    started.waiting.delete(reply.id);
    if (started.waiting.size === 0) worker.unref();
    if ('failed' in reply) waiter?.reject(new Error(reply.failed));
    else waiter?.resolve({ html: reply.html, errors: reply.errors, validation: reply.validation });
  });
  const fail = (error: Error) => {
    if (thread === started) thread = undefined;
    for (const waiter of started.waiting.values()) waiter.reject(error);
    started.waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', () => fail(new Error('the MJML thread exited')));
  // Never what keeps the process alive: referenced only while a compile waits for it.
  worker.unref();
}

/**
 * The compile of `mjml` on the thread {@link bootMjmlThread} started; undefined without one. A
 * thread that fails is dropped, and this compile then gives undefined too (compile in-process).
 */
export async function compileOnThread(
  mjml: string,
  options: MJMLParsingOptions,
): Promise<Compiled | undefined> {
  const started = thread;
  if (!started) return undefined;
  const id = started.next++;
  const request: MjmlRequest = { id, mjml, options };
  try {
    return await new Promise<Compiled>((resolve, reject) => {
      started.waiting.set(id, { resolve, reject });
      started.worker.ref();
      started.worker.postMessage(request);
    });
  } catch {
    if (thread === started) thread = undefined;
    void started.worker.terminate();
    return undefined;
  }
}

/**
 * For a command over the issue folders `dirs` (check): whether they are as they were at the end
 * of the last such command (every file's path, size and modification time, in the result cache),
 * so the emails' MJML results are likely kept and MJML need not load at all — then the booted
 * thread is stopped unused. `done` records them as they are now, for the next time.
 */
export function unchangedSinceLastTime(dirs: readonly string[]): { unchanged: boolean; done: () => void } {
  const key = resultKey('issue-folders', ...dirs.map(folderState));
  return { unchanged: recall(key) === true, done: () => keep(key, true) };
}

// Every file below `dir`: path, size and modification time; '' for a folder that cannot be read.
function folderState(dir: string): string {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        const stats = statSync(path);
        return `${path} ${stats.size} ${stats.mtimeMs}`;
      })
      .sort()
      .join('\n');
  } catch {
    return '';
  }
}

/** Stops the thread {@link bootMjmlThread} started, if any: unused, or in tests. */
export async function stopMjmlThread(): Promise<void> {
  const started = thread;
  thread = undefined;
  await started?.worker.terminate();
}
