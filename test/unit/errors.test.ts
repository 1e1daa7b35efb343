import { describe, expect, it } from 'vitest';
import { formatUserError, isUserError, UserError } from '../../src/errors.ts';
import { E } from '../../src/errors/catalog.ts';

describe('UserError from the catalog', () => {
  it('takes its name, message and hint from the entry and its arguments', () => {
    const error = new UserError(E.UnknownList, { unknown: ['x'], known: ['a', 'b'], file: 'lists.yml' });
    expect(error.name).toBe('UnknownList');
    expect(error.message).toBe('No list with the id "x" in lists.yml.');
    expect(error.hint).toBe('Known lists: a, b. Add new forums to lists.yml first.');
    expect(isUserError(error)).toBe(true);
  });

  it('keeps the place and the cause, and prints place, name, message and hint', () => {
    const cause = new Error('bad indentation\nat line 3');
    const error = new UserError(E.YamlInvalid, { reason: cause.message }, { place: 'a.yml:3:1', cause });
    expect(error.cause).toBe(cause);
    expect(formatUserError(error)).toBe(
      'a.yml:3:1: ConfigInvalid: Invalid YAML: bad indentation\n' +
        'hint: Fix the YAML syntax (indentation, a missing colon or an unclosed quote) and run again.',
    );
  });

  it('needs no arguments for an entry whose message takes none', () => {
    expect(new UserError(E.SendDeclined).message).toBe('Not confirmed. Nothing was sent.');
  });

  it('raises an entry under another name when the caller says so (a database file checked by backup)', () => {
    const error = new UserError(
      { ...E.DatabaseFileUnopenable, name: 'BackupFailed' },
      { file: 'x.db', reason: 'gone' },
    );
    expect([error.name, error.message]).toEqual(['BackupFailed', 'Cannot open x.db: gone.']);
  });

  it('has its arguments checked by TypeScript (npm run typecheck fails on these lines without the directives)', () => {
    const wrong = [
      // @ts-expect-error -- `file` is missing
      () => new UserError(E.ConfigMissing, {}),
      // @ts-expect-error -- `fil` is not an argument of ConfigMissing
      () => new UserError(E.ConfigMissing, { fil: 'x' }),
      // @ts-expect-error -- the arguments are required
      () => new UserError(E.ConfigMissing),
      // @ts-expect-error -- SendDeclined takes no arguments
      () => new UserError(E.SendDeclined, { count: 1 }),
    ];
    expect(wrong).toHaveLength(4);
  });
});
