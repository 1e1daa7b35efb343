/**
 * A bug's stack trace in the TypeScript sources. The compiled CLI (lib/) does not turn on Node's
 * source maps: with them on, Node reads and parses the map of every module it loads, ≈ 15–25 % of
 * a command's start-up, where a bug's stack needs the maps of a few of its frames. This maps those
 * frames when the stack is printed, as `node --enable-source-maps` would have.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// A stack frame's line (`    at …`), and a place in a JavaScript file on it: its path or file:
// URL, line and column (1-based).
const FRAME = /^\s+at .*$/gm;
const PLACE = /(file:\/\/\/[^\s()]+?\.js|\/[^\s()]+?\.js):(\d+):(\d+)/g;

// Only the compiled CLI's own files are mapped (src/errors → the package's lib/): a stack's text
// can quote input (serve logs them), which must not name files for this to read.
const LIB = fileURLToPath(new URL('../../lib/', import.meta.url));

const maps = new Map<string, SourceMap | undefined>();

/**
 * `stack` with each place on a frame line in a file of lib/ that has a source map beside it
 * (`x.js.map`) given as its place in the source the map names (`/…/src/x.ts:line:column`, Node's
 * own form); the message and other places are left as they are.
 */
export function sourceStack(stack: string): string {
  return stack.replace(FRAME, (frame) => frame.replace(PLACE, mapPlace));
}

function mapPlace(place: string, file: string, line: string, column: string): string {
  const path = resolve(file.startsWith('file:') ? fileURLToPath(file) : file);
  if (!path.startsWith(LIB)) return place;
  const entry = mapOf(path)?.findEntry(Number(line) - 1, Number(column) - 1);
  if (!entry || !('originalSource' in entry)) return place;
  const source = entry.originalSource.startsWith('file:')
    ? fileURLToPath(entry.originalSource)
    : entry.originalSource;
  const original = isAbsolute(source) ? source : resolve(dirname(path), source);
  return `${original}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

/** The error's stack (its message when it has none) in the sources, as {@link sourceStack}. */
export function sourceStackOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.stack === undefined ? error.message : sourceStack(error.stack);
}

function mapOf(path: string): SourceMap | undefined {
  if (!maps.has(path)) {
    const file = `${path}.map`;
    let map: SourceMap | undefined;
    try {
      map = existsSync(file)
        ? new SourceMap(JSON.parse(readFileSync(file, 'utf8')) as SourceMapPayload)
        : undefined;
    } catch {
      map = undefined;
    }
    maps.set(path, map);
  }
  return maps.get(path);
}
