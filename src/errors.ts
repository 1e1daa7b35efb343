/**
 * The two kinds of failure (STYLE §5): a `UserError` is bad input or a refused action — it prints
 * a title, a message and a hint, and the CLI exits 1. Anything else is a bug and exits 70.
 *
 * Error names are permanent: they are listed in README's troubleshooting section. Add, never rename.
 */
export const ERROR_NAMES = [
  'ConfigNotFound',
  'ConfigInvalid',
  'IssuesFolderUnreadable',
  'IssueNotFound',
  'IssueInvalid',
  'CheckFailed',
  'TemplateError',
  'PublishFailed',
  'IssueExists',
  'DatabaseError',
  'ImportFailed',
  'SubscriberNotFound',
  'UnknownList',
  'SendRefused',
  'SendStopped',
  'TransportError',
  'SecretMissing',
  'ServeRefused',
  'UsageError',
  'SuppressionKeyChanged',
  'SubscriberSuppressed',
  'PortInUse',
  'BackupFailed',
  'RestoreRefused',
  'BouncesUnreadable',
  'SourceUnreadable',
  'ImportRefused',
  'ScheduleInvalid',
  'ScheduleRefused',
  'NotSent',
  'ThemeInvalid',
] as const;

/** A permanent error name from the catalog above. */
export type ErrorName = (typeof ERROR_NAMES)[number];

/** Options of a {@link UserError}: the hint says what to do; `cause` keeps the lower layer's error. */
export interface UserErrorOptions {
  hint?: string | undefined;
  cause?: unknown;
  /** `file:line:col` of the problem, when it has one. */
  place?: string | undefined;
}

/** Bad input or a refused action. The CLI prints `name`, message and hint, and exits 1. */
export class UserError extends Error {
  override readonly name: ErrorName;
  readonly hint: string | undefined;
  readonly place: string | undefined;

  constructor(name: ErrorName, message: string, options: UserErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = name;
    this.hint = options.hint;
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
