import { defaultCacheDir } from '../cache/index.ts';
import type { Config } from '../config/schema.ts';
import { useResultCache } from '../cache/results.ts';

/**
 * The build cache folder of `build` and `publish`: `--cache-dir DIR`, none with `--no-cache`,
 * else `$NYHETSBREV_CACHE`, the config's `cache.dir`, the default (see `defaultCacheDir`). kept results
 * results are kept there too, or nowhere with `--no-cache` (see `useMjmlCache`).
 */
export function cacheOption(config: Config, options: { cacheDir?: string; cache: boolean }): string | false {
  const dir = defaultCacheDir(process.env, process.cwd(), {
    flag: options.cache === false ? false : options.cacheDir,
    config,
  });
  useResultCache(dir);
  return dir;
}
