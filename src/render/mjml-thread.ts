/**
 * The worker thread of `loadMjmlEarly` (mjml-early.ts): loads MJML as soon as it starts, then
 * compiles the MJML it is sent, one message after the other.
 */
import { parentPort } from 'node:worker_threads';
import type { MJMLParsingOptions } from 'mjml-core';
import { errorOf, mjmlModules, strictErrors, type MjmlError } from './mjml-modules.ts';

/** A compile asked of the thread. */
export interface MjmlRequest {
  id: number;
  mjml: string;
  options: MJMLParsingOptions;
}

/** Its answer: the HTML and MJML's problems, or why it failed. */
export type MjmlAnswer =
  { id: number; html: string; errors: MjmlError[]; validation: MjmlError[] } | { id: number; failed: string };

const port = parentPort!;
const modules = mjmlModules();
let last = Promise.resolve();
port.on('message', (request: MjmlRequest) => {
  last = last.then(() => answer(request));
});

async function answer({ id, mjml, options }: MjmlRequest): Promise<void> {
  let reply: MjmlAnswer;
  try {
    const result = await modules.mjml2html(mjml, options);
    const errors = result.errors.map(errorOf);
    // Strict validation too, for the `mjml` rule (validateMjml), so the main thread needs no MJML.
    reply = { id, html: result.html, errors, validation: strictErrors(modules, mjml) };
  } catch (error) {
    reply = { id, failed: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
}
