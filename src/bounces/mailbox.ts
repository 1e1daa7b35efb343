import { readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';

/** One message of a mailbox, and how to mark it read once its effect is committed. */
export interface MailboxMessage {
  /** Where it is, for messages: `new/1730…` or `mbox message 3`. */
  name: string;
  raw: Buffer;
  /** Marks it read (Maildir: moved to `cur/` with the Seen flag; mbox: nothing, the database keeps count). */
  done(): void;
}

/**
 * The messages of a Maildir folder (one with `cur/`, `new/` and `tmp/`) or an mbox file, oldest
 * name first. A Maildir's unread messages are those in `new/` and those in `cur/` without the
 * Seen flag (`:2,…S`). An mbox file is read whole every time: which of its reports were applied
 * is known from the database. Throws `BouncesUnreadable` for anything else.
 */
export function readMailbox(path: string): MailboxMessage[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (error) {
    throw new UserError(E.BouncesUnreadable, { path, problem: 'unreadable' }, { cause: error });
  }
  if (!isDir) return readMbox(path);
  const sub = (name: string) => join(path, name);
  if (!['cur', 'new', 'tmp'].every((name) => statSync(sub(name), { throwIfNoEntry: false })?.isDirectory()))
    throw new UserError(E.BouncesUnreadable, { path, problem: 'not-maildir' });
  const unread = [
    ...list(sub('new')).map((file) => ({ folder: 'new', file })),
    ...list(sub('cur'))
      .filter((file) => !/:2,[A-Z]*S/.test(file))
      .map((file) => ({ folder: 'cur', file })),
  ];
  return unread.map(({ folder, file }) => ({
    name: `${folder}/${file}`,
    raw: readFileSync(join(path, folder, file)),
    done: () => renameSync(join(path, folder, file), join(path, 'cur', seen(file))),
  }));
}

function list(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .sort();
}

/** The Maildir file name with the Seen flag added (`<unique>:2,<flags in ASCII order>`). */
function seen(file: string): string {
  const [unique, info] = file.split(':2,');
  const flags = new Set([...(info ?? ''), 'S']);
  return `${unique}:2,${[...flags].sort().join('')}`;
}

/** Messages of an mbox file: each starts at a `From ` line; `>From ` lines are unquoted (mboxrd). */
function readMbox(path: string): MailboxMessage[] {
  const text = readFileSync(path).toString('latin1');
  if (text.trim() === '') return [];
  if (!text.startsWith('From ')) throw new UserError(E.BouncesUnreadable, { path, problem: 'not-mbox' });
  return text
    .split(/^From .*\r?\n/m)
    .slice(1)
    .map((body, index) => ({
      name: `mbox message ${index + 1}`,
      raw: Buffer.from(body.replace(/^>(>*From )/gm, '$1'), 'latin1'),
      done: () => {},
    }));
}
