import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';

/** The folders a publish uses beside its target `DIR`, on the same file system as `DIR`. */
export interface PublishPaths {
  target: string;
  /** Where the new site is built: `.<name>.nyhetsbrev-new`. */
  staging: string;
  /** Where the previous site waits between the two renames: `.<name>.nyhetsbrev-old`. */
  old: string;
  lock: string;
}

/** The working paths beside `target`. Fixed names, so a later run finds what a crash left. */
export function publishPaths(target: string): PublishPaths {
  const at = (suffix: string) => join(dirname(target), `.${basename(target)}.nyhetsbrev-${suffix}`);
  return { target, staging: at('new'), old: at('old'), lock: at('lock') };
}

/**
 * Takes the publish lock (a folder holding the owner's pid; `mkdir` is atomic). A lock whose
 * process is gone is stale and taken over. Throws `PublishFailed` while another publish runs.
 */
export async function acquireLock(paths: PublishPaths): Promise<() => Promise<void>> {
  await mkdir(dirname(paths.target), { recursive: true });
  try {
    await mkdir(paths.lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const pid = Number(await readFile(join(paths.lock, 'pid'), 'utf8').catch(() => ''));
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new UserError(E.PublishRunning, { target: paths.target, pid, lock: paths.lock });
    }
  }
  await writeFile(join(paths.lock, 'pid'), String(process.pid));
  return () => rm(paths.lock, { recursive: true, force: true });
}

/**
 * Repairs what an interrupted publish left (call under the lock, before building): a crash
 * between the two renames of {@link swapIn} left no target but the previous site in `old` — it is
 * moved back. A leftover staging folder or `old` beside a live target is removed. Returns what it did.
 */
export async function recover(paths: PublishPaths): Promise<string[]> {
  const done: string[] = [];
  if (existsSync(paths.old)) {
    if (existsSync(paths.target)) await rm(paths.old, { recursive: true, force: true });
    else {
      await rename(paths.old, paths.target);
      done.push(`restored the previous site into ${paths.target} (an earlier publish was interrupted)`);
    }
  }
  if (existsSync(paths.staging)) {
    await rm(paths.staging, { recursive: true, force: true });
    done.push(`removed the unfinished build of an earlier publish (${paths.staging})`);
  }
  return done;
}

/**
 * Replaces the target with `site` (a folder on the same file system): rename the target away,
 * rename the new site in, then delete the old one. Each rename is atomic; should the process die
 * between them, the next publish's {@link recover} moves the previous site back.
 */
export async function swapIn(site: string, paths: PublishPaths): Promise<void> {
  const hadTarget = existsSync(paths.target);
  if (hadTarget) await rename(paths.target, paths.old);
  try {
    await rename(site, paths.target);
  } catch (error) {
    if (hadTarget) await rename(paths.old, paths.target);
    throw error;
  }
  if (hadTarget) await rm(paths.old, { recursive: true, force: true });
}

/** True when `dir` is missing, empty, or holds a site an earlier publish wrote. */
export function looksPublishable(dir: string): boolean {
  if (!existsSync(dir)) return true;
  const names = readdirSync(dir);
  return (
    names.length === 0 ||
    (names.includes('feed.xml') && existsSync(join(dir, 'pagefind', 'pagefind-entry.json')))
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
