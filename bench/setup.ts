import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/load.ts';
import type { Config } from '../src/config/schema.ts';
import { writeCorpus } from './corpus.ts';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Scratch space of the benchmarks (git-ignored). */
export const SCRATCH = join(ROOT, 'bench', 'out');

/** A fresh scratch folder `bench/out/<name>` (emptied first). */
export function scratch(name: string): string {
  const dir = join(SCRATCH, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The repository's sample config (`nyhetsbrev.yml`): the settings an agency would use. */
export function benchConfig(): Config {
  return loadConfig(resolve(ROOT, 'nyhetsbrev.yml'), { explicit: true });
}

/** A fresh synthetic archive of `count` issues with 10 sections each in `bench/out/<name>`. */
export function corpus(name: string, count: number): { dir: string; ids: string[] } {
  const dir = scratch(name);
  return { dir, ids: writeCorpus(dir, count, { sections: 10 }) };
}
