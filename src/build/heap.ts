import { setFlagsFromString } from 'node:v8';

/**
 * How much a V8 heap may grow past what outlived its last full collection, while a build runs.
 * Left to itself, V8 lets a heap grow up to 4× that on a machine with memory to spare: parsing
 * and rendering make garbage by the hundred MB, so the main thread's heap reached 130–150 MB for
 * ≈ 45 MB live at 1,000 issues (bench/cold.ts). At +30 % it stays under ≈ 95 MB, for more full
 * collections: ≈ 5 % more CPU at 300 issues, ≈ 15 % at 1,000.
 */
const HEAP_GROWING_PERCENT = 30;

/**
 * Makes every heap of the process (V8's flags are the process's, workers' too) grow by at most
 * `percent` past its live size until the returned function is called, which gives V8 back its own
 * choice. A `--heap-growing-percent` given to node is left as it is.
 */
export function growHeapsSlowly(percent = HEAP_GROWING_PERCENT): () => void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) =>
    /heap[-_]growing[-_]percent/.test(arg),
  );
  if (given) return () => {};
  // V8 reads this flag each time it sets a heap's next limit, so setting it now takes effect.
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  return () => setFlagsFromString('--heap-growing-percent=0');
}
