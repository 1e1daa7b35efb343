// Where the compiled CLI lives and whether it was compiled from the sources as they are now: shared
// by bin/nyhetsbrev.js (which runs it only then) and bin/compile.js (which writes it).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The compiled JavaScript: lib/ mirrors src/ (src/cli/main.ts → lib/cli/main.js) at the same depth
 * of the package, so module-relative paths (`../../templates/`, `../../package.json`) resolve the same.
 */
export const OUT = 'lib';

// The lockfile of the packages installed (`npm ci` installs what it says; `npm install` rewrites it
// when it changes them; `npm prune --omit=dev`, as the Dockerfile runs it, leaves it alone).
const INSTALLED = 'package-lock.json';

/** The file in lib/ that records which sources it was compiled from (see {@link sourceKey}). */
export const STAMP = '.source-key';

/**
 * What the compiled output is made from: path, size and modification time of every file under src/,
 * of tsconfig.json and of the compiler's scripts, one per line, and a hash of package-lock.json
 * (lib/ holds the ES module packages, bundled: bin/packages.js — a hash, as `npm prune` rewrites the
 * file unchanged). Any edit, added, deleted or renamed file, branch switch, checkout or install
 * that changes packages changes it. `stat`s and one read: a few milliseconds.
 * @param {string} root the package folder
 * @returns {string}
 */
export function sourceKey(root) {
  const files = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
  files.push(
    'tsconfig.json',
    join('bin', 'compile.js'),
    join('bin', 'packages.js'),
    join('bin', 'templates.js'),
  );
  const stats = files
    .sort()
    .map((file) => {
      const stat = statSync(join(root, file));
      return `${file} ${stat.size} ${stat.mtimeMs}\n`;
    })
    .join('');
  const lockfile = join(root, INSTALLED);
  if (!existsSync(lockfile)) return stats;
  return `${stats}${INSTALLED} ${createHash('sha256').update(readFileSync(lockfile)).digest('hex')}\n`;
}

/**
 * True when lib/ was compiled from the sources as they are now (its stamp is their key).
 * @param {string} root the package folder
 * @returns {boolean}
 */
export function isFresh(root) {
  let stamp;
  try {
    stamp = readFileSync(join(root, OUT, STAMP), 'utf8');
  } catch {
    return false;
  }
  return stamp === sourceKey(root);
}
