import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

/**
 * True when `path` is `dir` or below it, both by its text and with symbolic links followed (a link
 * inside may point anywhere). A path that does not exist counts by its text: reading it then fails
 * as not found, which its caller reports.
 */
export function insideFolder(dir: string, path: string): boolean {
  return below(resolve(dir), resolve(path)) && below(real(dir), real(path));
}

function below(base: string, target: string): boolean {
  const rest = relative(base, target);
  return rest === '' || (!rest.startsWith('..') && !isAbsolute(rest));
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
