import { performance } from 'node:perf_hooks';

/** One measured run: wall-clock and CPU milliseconds (CPU: every thread of this process). */
export interface Sample {
  wallMs: number;
  cpuMs: number;
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs `work` once and measures it. */
export async function measure(work: () => unknown): Promise<Sample> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * Runs each of several contenders `runs` times, interleaved (a, b, a, b …) so that a machine
 * loaded by other work slows them alike, after `warmup` unmeasured rounds. Returns the samples
 * of each contender by name.
 */
export async function interleave(
  contenders: Record<string, () => unknown>,
  { runs, warmup = 1 }: { runs: number; warmup?: number },
): Promise<Record<string, Sample[]>> {
  const samples: Record<string, Sample[]> = Object.fromEntries(
    Object.keys(contenders).map((name) => [name, []]),
  );
  for (let round = 0; round < warmup + runs; round++) {
    for (const [name, work] of Object.entries(contenders)) {
      const sample = await measure(work);
      if (round >= warmup) samples[name]!.push(sample);
    }
  }
  return samples;
}

/** Median wall and CPU milliseconds of some samples. */
export function medians(samples: readonly Sample[]): Sample {
  return { wallMs: median(samples.map((s) => s.wallMs)), cpuMs: median(samples.map((s) => s.cpuMs)) };
}

/** `1234.5` → `"1 235 ms"` below 10 s, else `"12.3 s"`. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return ms < 10_000
    ? `${Math.round(ms).toLocaleString('en-US').replace(/,/g, ' ')} ms`
    : `${(ms / 1000).toFixed(1)} s`;
}

/** A ratio with two decimals and a times sign: `1.23×`. */
export function times(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–';
}
