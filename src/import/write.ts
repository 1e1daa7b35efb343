import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.ts';
import type { ImportPlan, PlannedIssue } from './types.ts';

/** The journal of an import into an existing issue, in its folder while files are being added. */
export const JOURNAL = '.import-journal.json';

/** Called before each file is written; tests make it throw (a failure) or kill the process (a crash). */
export type BeforeWrite = (path: string) => void | Promise<void>;

interface Journal {
  files: { path: string; sha256: string }[];
  createdImages: boolean;
}

/**
 * Writes a planned import so that a failure or a crash never leaves half an issue:
 * - a new issue is written into a hidden temp folder beside the issues (`.import-<id>-…`, which
 *   the pipeline ignores) and renamed into place whole; a failure removes it, and the issues this
 *   import already renamed into place;
 * - files added to an existing issue are listed with their hashes in a journal first, each written
 *   only if no file has its name (never overwriting), and the journal removed at the end. A
 *   failure removes what was added; after a crash, {@link recoverInterruptedImport} does.
 */
export async function writeImport(plan: ImportPlan, beforeWrite?: BeforeWrite): Promise<void> {
  const done: PlannedIssue[] = [];
  try {
    for (const issue of plan.issues) {
      if (issue.mode === 'new') await writeNew(issue, beforeWrite);
      else await writeInto(issue, beforeWrite);
      done.push(issue);
    }
  } catch (error) {
    for (const issue of done.filter((written) => written.mode === 'new'))
      await rm(issue.dir, { recursive: true, force: true });
    throw error;
  }
}

async function writeNew(issue: PlannedIssue, beforeWrite: BeforeWrite | undefined): Promise<void> {
  const parent = dirname(issue.dir);
  await mkdir(parent, { recursive: true });
  const temp = await mkdtemp(join(parent, `.import-${issue.id}-`));
  try {
    for (const [path, bytes] of issue.files) {
      await beforeWrite?.(path);
      await mkdir(dirname(join(temp, path)), { recursive: true });
      await writeFile(join(temp, path), bytes, { flag: 'wx' });
    }
    if (await exists(issue.dir)) throw exists_(issue);
    await rename(temp, issue.dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') throw exists_(issue, error);
    throw error;
  }
}

function exists_(issue: PlannedIssue, cause?: unknown): UserError {
  return new UserError(
    'IssueExists',
    `Nothing was imported: issue ${issue.id} appeared in ${issue.dir} while importing.`,
    {
      cause,
      hint: `Add the sections with --into ${issue.id}, or import as another issue with --as-issue ${issue.id}-b.`,
    },
  );
}

async function writeInto(issue: PlannedIssue, beforeWrite: BeforeWrite | undefined): Promise<void> {
  const images = join(issue.dir, 'images');
  const needsImages = [...issue.files.keys()].some((path) => path.startsWith('images/'));
  const journal: Journal = {
    files: [...issue.files].map(([path, bytes]) => ({ path, sha256: sha256(bytes) })),
    createdImages: needsImages && !(await exists(images)),
  };
  const journalPath = join(issue.dir, JOURNAL);
  await writeFile(journalPath, JSON.stringify(journal, null, 2), { flag: 'wx' }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      throw new UserError(
        'ImportRefused',
        `Nothing was imported: another import into ${issue.id} is under way or was interrupted (${journalPath}).`,
        {
          cause: error,
          hint: 'Wait for it to finish; if none is running, run the import again: it removes what the interrupted one added first.',
        },
      );
    },
  );
  const written: string[] = [];
  try {
    if (journal.createdImages) await mkdir(images);
    for (const [path, bytes] of issue.files) {
      await beforeWrite?.(path);
      await writeFile(join(issue.dir, path), bytes, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
        throw new UserError(
          'ImportRefused',
          `Nothing was imported: ${join(issue.dir, path)} appeared while importing; it was left as it is.`,
          {
            cause: error,
            hint: 'Run the import again: new files are named after the last ones there.',
          },
        );
      });
      written.push(path);
    }
  } catch (error) {
    for (const path of written) await unlink(join(issue.dir, path)).catch(() => undefined);
    if (journal.createdImages) await rmdir(images).catch(() => undefined);
    await unlink(journalPath);
    throw error;
  }
  await unlink(journalPath);
}

/**
 * Undoes an import into `dir` that was interrupted (its journal is still there): removes each
 * file it listed that still has the bytes it wrote (a file changed since is kept), and the
 * `images/` folder it created if empty. Returns the files removed; none when there is no journal.
 */
export async function recoverInterruptedImport(dir: string): Promise<string[]> {
  const journalPath = join(dir, JOURNAL);
  const text = await readFile(journalPath, 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  const journal = JSON.parse(text) as Journal;
  const removed: string[] = [];
  for (const { path, sha256: hash } of journal.files) {
    const bytes = await readFile(join(dir, path)).catch(() => undefined);
    if (bytes && sha256(bytes) === hash) {
      await unlink(join(dir, path));
      removed.push(path);
    }
  }
  if (journal.createdImages) await rmdir(join(dir, 'images')).catch(() => undefined);
  await unlink(journalPath);
  return removed;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
