import { access, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { unsubscribeJournalPath } from '../audience/unsubscribe.ts';
import type { WriteGate } from './writes.ts';

/**
 * One-click unsubscribes (RFC 8058) that arrived while another process held the database's write
 * lock. A mailbox provider's one-click POST may never be retried, so a 503 could lose someone's
 * wish to leave; instead the request is written durably here and applied as soon as the lock is
 * free (and on the next start, should `serve` stop first).
 */
export interface UnsubscribeJournal {
  /** The journal file: `<database>-unsubscribes`, mode 0600 (git-ignored like `-wal`). */
  readonly path: string;
  /** Appends one verified token and syncs it to disk; resolves once it would survive a power cut. */
  record(token: string): Promise<void>;
  /**
   * Applies every recorded token through the write gate and removes what it applied. Returns how
   * many it applied; when the lock is still taken it keeps them and rejects with `StoreBusy`.
   */
  drain(): Promise<number>;
  /** Whether tokens may be waiting (set by {@link record} and at start-up; cleared by a drain). */
  readonly pending: boolean;
}

/**
 * A journal next to `database`. `apply(token)` unsubscribes the token's subscriber inside the
 * gate's transaction, verifying the token again (a forgotten person's token does nothing).
 */
export function createUnsubscribeJournal(
  database: string,
  gate: WriteGate,
  apply: (token: string) => void,
): UnsubscribeJournal {
  const path = unsubscribeJournalPath(database);
  // Appends and the removal of applied lines take turns, so no append lands in a file being replaced.
  const inTurn = takingTurns();
  let pending = true;
  let draining: Promise<number> | undefined;
  // Tokens written and not yet applied: a repeated POST costs no second disk sync.
  const onDisk = new Set<string>();
  const append = groupAppender(path, inTurn, onDisk);

  const drainOnce = async (): Promise<number> => {
    const text = await inTurn(() => readOrEmpty(path));
    const tokens = text.split('\n').filter((line) => line !== '');
    if (tokens.length > 0) await gate.run(() => tokens.forEach(apply));
    // A crash before this line applies the same tokens again on the next start: unsubscribing twice changes nothing.
    const left = await inTurn(() => removeApplied(path, Buffer.byteLength(text)));
    for (const token of tokens) onDisk.delete(token);
    if (!left) pending = false;
    return tokens.length;
  };

  return {
    path,
    get pending() {
      return pending;
    },
    record(token) {
      pending = true;
      if (onDisk.has(token)) return Promise.resolve();
      return append(token);
    },
    drain() {
      draining ??= drainOnce().finally(() => (draining = undefined));
      return draining;
    },
  };
}

/** Runs tasks one after another, each once the one before settled. */
type InTurn = <T>(task: () => Promise<T>) => Promise<T>;

function takingTurns(): InTurn {
  let turn: Promise<unknown> = Promise.resolve();
  return (task) => {
    const result = turn.then(task);
    turn = result.catch(() => undefined);
    return result;
  };
}

/**
 * Appends tokens to the journal in its turn and resolves once they are synced, adding them to
 * `onDisk`. Requests that arrive while one append syncs share the next one (group commit): under
 * load the wait is one sync, not one per request ahead in the queue.
 */
function groupAppender(path: string, inTurn: InTurn, onDisk: Set<string>): (token: string) => Promise<void> {
  let batch: { tokens: Set<string>; written: Promise<void> } | undefined;
  const nextBatch = () => {
    const next = { tokens: new Set<string>(), written: Promise.resolve() };
    next.written = inTurn(async () => {
      if (batch === next) batch = undefined;
      const created = !(await exists(path));
      // A leading newline too: a line torn by a crash mid-append never joins the next token.
      await appendSynced(path, [...next.tokens].map((token) => `\n${token}\n`).join(''));
      if (created) await syncDirectory(dirname(path));
      for (const token of next.tokens) onDisk.add(token);
    });
    return next;
  };
  return (token) => {
    batch ??= nextBatch();
    batch.tokens.add(token);
    return batch.written;
  };
}

async function appendSynced(path: string, text: string): Promise<void> {
  const handle = await open(path, 'a', 0o600);
  try {
    await handle.appendFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Drops the first `bytes` (applied); lines appended since stay, via a synced copy renamed over.
 * Returns whether any remain.
 */
async function removeApplied(path: string, bytes: number): Promise<boolean> {
  const now = Buffer.from(await readOrEmpty(path));
  if (now.length <= bytes) {
    if (now.length > 0) await unlink(path);
    return false;
  }
  const rest = `${path}.rest`;
  const handle = await open(rest, 'w', 0o600);
  try {
    await handle.writeFile(now.subarray(bytes));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(rest, path);
  return true;
}

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
