import { isUserError } from '../errors.ts';

/** How a `UserError` appears in JSON output: `{ name, message, hint }` (`hint` null when none). */
export interface ErrorJson {
  name: string;
  message: string;
  hint: string | null;
}

/** Prints `value` as indented JSON and a newline on stdout: the whole stdout of a `--json` run. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A user error as {@link ErrorJson}; anything else (a bug) is not described, the caller rethrows it. */
export function errorJson(error: unknown): ErrorJson | undefined {
  if (!isUserError(error)) return undefined;
  return { name: error.name, message: error.message, hint: error.hint ?? null };
}

/** Human-readable lines of a `--json` run go to stderr, so stdout holds only the JSON. */
export function toStderr(text: string): void {
  process.stderr.write(`${text}\n`);
}
