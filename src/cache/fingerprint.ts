import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/schema.ts';

/** The nyhetsbrev package folder. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// Stages that never shape a build's output: editing them keeps the cache.
const UNRELATED = /^src\/(audience|check|cli|preview|publish|scaffold|send|serve)\//;

let code: string | undefined;

/**
 * A hash of everything besides an issue's own files that shapes what is cached for it: the
 * sources and templates of this nyhetsbrev (its version alone would miss local edits; stages that
 * do not build pages are left out), the
 * installed dependencies, Node and its ICU data (month names), and the whole resolved config but
 * where the cache itself lives (`cache`).
 * Reading ~200 small files takes a few milliseconds; done once per process.
 */
export function fingerprint(config: Config): string {
  code ??= codeHash();
  return createHash('sha256')
    .update(code)
    .update('\0')
    .update(JSON.stringify({ ...config, cache: undefined }))
    .digest('hex');
}

/**
 * The lockfile that says which packages are installed, relative to the package folder: the one
 * npm keeps in node_modules, else package-lock.json; undefined without either.
 */
export function lockfilePath(): string | undefined {
  return ['node_modules/.package-lock.json', 'package-lock.json'].find((path) =>
    existsSync(join(ROOT, path)),
  );
}

function codeHash(): string {
  const hash = createHash('sha256');
  hash.update(
    `node ${process.version} icu ${process.versions.icu ?? ''} unicode ${process.versions.unicode ?? ''}\0`,
  );
  const lockfile = lockfilePath();
  for (const path of [
    'package.json',
    ...(lockfile ? [lockfile] : []),
    ...filesUnder('src').filter((path) => !UNRELATED.test(path)),
    ...filesUnder('templates'),
  ]) {
    hash
      .update(path)
      .update('\0')
      .update(readFileSync(join(ROOT, path)))
      .update('\0');
  }
  return hash.digest('hex');
}

// Relative paths of the files under a folder of the package, sorted, so the hash is stable.
function filesUnder(folder: string): string[] {
  const entries = readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(ROOT.length))
    .sort();
}
