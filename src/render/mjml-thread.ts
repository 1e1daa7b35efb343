/**
 * The worker thread of `bootMjmlThread` (mjml-early.ts): loads MJML when told to (`'load'`) or
 * before its first compile, and compiles the MJML it is sent, one message after the other.
 */
import { parentPort } from 'node:worker_threads';
import type { MJMLParsingOptions } from 'mjml-core';
import { errorOf, mjmlModules, strictErrors, type MjmlError, type MjmlModules } from './mjml-modules.ts';

/** A compile asked of the thread. */
export interface MjmlRequest {
  id: number;
  mjml: string;
  options: MJMLParsingOptions;
}

/** Its answer: the HTML and MJML's problems, or why it failed. */
export type MjmlAnswer =
  { id: number; html: string; errors: MjmlError[]; validation: MjmlError[] } | { id: number; failed: string };

/** What the thread is sent: load MJML now, or a compile. */
export type MjmlMessage = 'load' | MjmlRequest;

const port = parentPort!;
let modules: MjmlModules | undefined;
let last = Promise.resolve();
port.on('message', (message: MjmlMessage) => {
  if (message === 'load') modules ??= mjmlModules();
  else last = last.then(() => answer(message));
});

async function answer({ id, mjml, options }: MjmlRequest): Promise<void> {
  let reply: MjmlAnswer;
  try {
    modules ??= mjmlModules();
    const result = await modules.mjml2html(mjml, options);
    const errors = result.errors.map(errorOf);
    // Strict validation too, for the `mjml` rule (validateMjml), so the main thread needs no MJML.
    reply = { id, html: result.html, errors, validation: strictErrors(modules, mjml) };
  } catch (error) {
    reply = { id, failed: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
}
