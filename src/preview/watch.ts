import { basename } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

/** Options of {@link watchPaths}. */
export interface WatchOptions {
  /** Collects a burst of events (an editor saving several files, a `git checkout`) into one call. */
  batchMs?: number;
}

/**
 * Watches files and folders and calls `onChange` with the changed paths. Tuned for latency:
 * `awaitWriteFinish` waits only until a file's size has been stable for 20 ms, so a save reaches
 * the preview in tens of milliseconds while a half-written file is not read mid-write.
 */
export function watchPaths(
  paths: string[],
  onChange: (paths: string[]) => void,
  options: WatchOptions = {},
): FSWatcher {
  const batchMs = options.batchMs ?? 5;
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const batch = [...pending];
    pending = new Set();
    onChange(batch);
  };
  const watcher = watch(paths, {
    ignoreInitial: true,
    // Editor droppings (swap, backup and lock files) and dot-folders such as .git — by name
    // only, so a dot-folder above the watched paths does not hide everything.
    ignored: (path: string) => /^\.|~$|\.sw[px]$|\.tmp$|^#.*#$/.test(basename(path)),
    awaitWriteFinish: { stabilityThreshold: 20, pollInterval: 5 },
  });
  watcher.on('all', (_event, path) => {
    pending.add(path);
    timer ??= setTimeout(flush, batchMs);
  });
  return watcher;
}
