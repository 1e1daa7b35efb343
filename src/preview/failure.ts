import { isUserError } from '../errors.ts';
import { sourceStackOf } from '../errors/stack.ts';

/** A problem that is not a message on a file: a broken template, a config error, a bug. */
export interface Failure {
  title: string;
  message: string;
  place: string | undefined;
  hint: string | undefined;
}

/** A thrown error as the overlay shows it: user errors with their hint; anything else whole. */
export function toFailure(error: unknown): Failure {
  if (isUserError(error))
    return { title: error.name, message: error.message, place: error.place, hint: error.hint };
  return {
    title: 'Internal error (a bug)',
    message: sourceStackOf(error),
    place: undefined,
    hint: 'The preview keeps running. Please report this with the text above.',
  };
}
