/**
 * The two kinds of failure (STYLE §5): a `UserError` is bad input or a refused action — it prints
 * its permanent name, a message and a hint, and the CLI exits 1. Anything else is a bug and exits 70.
 *
 * Every message comes from the catalog `E` (src/errors/catalog.ts): raise one with
 * `throw new UserError(E.ConfigMissing, { file })`; TypeScript checks the arguments. This module
 * does not load the catalog, so the CLI's start-up (which only formats errors) does not pay for it.
 */
import { ERROR_NAMES, type ErrorEntry, type ErrorName } from './errors/names.ts';

export { ERROR_NAMES, ERROR_TITLES, type ErrorEntry, type ErrorName } from './errors/names.ts';

/** Options of a {@link UserError}: `cause` keeps the lower layer's error. */
export interface UserErrorOptions {
  cause?: unknown;
  /** `file:line:col` of the problem, when it has one. */
  place?: string | undefined;
}

/** The arguments after the entry: none for an entry whose message takes none. */
type EntryArgs<A> = unknown extends A
  ? [args?: Record<string, never>, options?: UserErrorOptions]
  : [args: A, options?: UserErrorOptions];

/** Bad input or a refused action. The CLI prints `name`, message and hint, and exits 1. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a UserError of any entry
export class UserError<A = any> extends Error {
  override readonly name: ErrorName;
  readonly hint: string | undefined;
  readonly place: string | undefined;

  /** The error `entry` of the catalog describes, made from `args`. */
  constructor(entry: ErrorEntry<A>, ...[args, options = {}]: EntryArgs<NoInfer<A>>) {
    super(entry.message(args as A), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = entry.name;
    this.hint = typeof entry.hint === 'function' ? entry.hint(args as A) : entry.hint;
    this.place = options.place;
  }
}

/** True for a {@link UserError}, also across module copies (checks the shape, not the prototype). */
export function isUserError(error: unknown): error is UserError {
  return (
    error instanceof UserError ||
    (error instanceof Error && (ERROR_NAMES as readonly string[]).includes(error.name) && 'hint' in error)
  );
}

/** Formats a user error for the terminal: `name: message` + place + hint, no stack. */
export function formatUserError(error: UserError): string {
  const lines = [`${error.place ? `${error.place}: ` : ''}${error.name}: ${error.message}`];
  if (error.hint) lines.push(`hint: ${error.hint}`);
  return lines.join('\n');
}
