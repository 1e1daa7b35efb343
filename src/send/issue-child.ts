import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/schema.ts';
import { isUserError, UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import type { IssueForSend } from './issue-data.ts';

/** What the parent asks the child (issue-child-entry.ts). */
export interface ToChild {
  config: Config;
  issuesDir: string;
  id: string;
  /** The sender's result cache folder (`resultCacheDir`): a checked email is not compiled again. */
  cacheDir: string | false;
}

/** An error as it crosses the process boundary: a user error's words, or a bug's stack. */
export type PlainError =
  | { kind: 'user'; name: string; message: string; hint: string | undefined; place: string | undefined }
  | { kind: 'bug'; name: string; message: string; stack: string | undefined; cause: PlainError | undefined };

/** The child's one answer. */
export type FromChild = { type: 'done'; issue: IssueForSend } | { type: 'failed'; error: PlainError };

// Compiled to lib/ (the CLI), the child is JavaScript beside this module and starts directly;
// from src/ (tests, benchmarks) it is TypeScript, run through tsx's loader (as src/load/pool.ts).
const COMPILED = import.meta.url.endsWith('.js');
const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
const ENTRY = fileURLToPath(
  new URL(COMPILED ? './issue-child-entry.js' : './issue-child-entry.ts', import.meta.url),
);

/**
 * Builds and checks the issue in a child process and returns what the send needs; resolves once
 * the child has exited, so its memory is given back before the audience is read. A `UserError`
 * in the child is thrown here with the same name, message, hint and place; anything else is
 * thrown as a bug with the child's stack.
 */
export function issueInChild(request: ToChild, signal?: AbortSignal): Promise<IssueForSend> {
  // No execArgv: the parent's flags (--cpu-prof, an inspector) are the parent's.
  const [file, args] = COMPILED ? [ENTRY, []] : [RUN_TS, [ENTRY]];
  const child = fork(file, args, {
    execArgv: [],
    serialization: 'advanced',
    // stdout stays clean for `--json`; a crash's own words go to stderr.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let answer: FromChild | undefined;
    child.once('message', (message: FromChild) => (answer = message));
    // Killed at an abort before it read the request, the child makes sending it fail (EPIPE): the
    // send was interrupted, not broken.
    child.once('error', (error) => reject(signal?.aborted ? new UserError(E.SendInterruptedEarly) : error));
    // Nothing is frozen before the build answers: an abort stops the child (which ignores SIGINT
    // and SIGTERM, and has nothing to lose) and the send.
    const stop = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
    // 'close' comes after the IPC channel closed: every message has arrived by then.
    child.once('close', (code, ended) => {
      signal?.removeEventListener('abort', stop);
      if (signal?.aborted && answer === undefined) reject(new UserError(E.SendInterruptedEarly));
      else if (answer?.type === 'done') resolve(answer.issue);
      else if (answer?.type === 'failed') reject(fromPlainError(answer.error));
      else
        reject(
          new Error(
            `the process building the issue ended (${ended ?? `exit code ${code}`}) without an answer`,
          ),
        );
    });
    child.send(request satisfies ToChild);
  });
}

/** `error` as plain data for {@link fromPlainError}. */
export function toPlainError(error: unknown): PlainError {
  if (isUserError(error)) {
    return { kind: 'user', name: error.name, message: error.message, hint: error.hint, place: error.place };
  }
  const bug = error instanceof Error ? error : new Error(String(error));
  return {
    kind: 'bug',
    name: bug.name,
    message: bug.message,
    stack: bug.stack,
    cause: bug.cause === undefined ? undefined : toPlainError(bug.cause),
  };
}

/** The error {@link toPlainError} described, rebuilt: a user error, or an `Error` with the child's stack. */
export function fromPlainError(plain: PlainError): Error {
  if (plain.kind === 'user') {
    // The catalog made it in the child; here it only needs the shape `isUserError` recognises
    // (errors.ts), which is what the CLI, `--json` and the scheduler go by.
    return Object.assign(new Error(plain.message), {
      name: plain.name,
      hint: plain.hint,
      place: plain.place,
    });
  }
  const cause = plain.cause && fromPlainError(plain.cause);
  const error = new Error(plain.message, cause ? { cause } : undefined);
  error.name = plain.name;
  if (plain.stack !== undefined) error.stack = plain.stack;
  return error;
}
