/** A measured figure of a benchmark. */
export interface Figure {
  name: string;
  /** As shown in the report (units included). */
  text: string;
  /** The raw number for report.json. */
  value: number;
  unit: string;
}

/** A target of the issue and whether this run met it; `met: null` when it could not be measured. */
export interface Target {
  name: string;
  /** What was measured, in `unit`. */
  value: number;
  /** The bar, e.g. `≤ 1.5×`. */
  bar: string;
  unit: string;
  met: boolean | null;
}

/** What one benchmark reports. */
export interface BenchResult {
  id: string;
  title: string;
  /** How it was measured (sizes, runs, what is timed). */
  method: string;
  figures: Figure[];
  targets: Target[];
  /** Skipped parts, caveats. */
  notes: string[];
  /** For missed targets: what bounds them, with the profile evidence of this run. */
  bounds: string[];
  /** Set on a result kept from an earlier report by an `--only` run: when it was measured. */
  earlier?: { date: string; loadBefore: number[] };
}

/** Shorthand for a figure. */
export function figure(name: string, value: number, unit: string, text: string): Figure {
  return { name, value: round(value), unit, text };
}

/** A target checked against `limit` with `compare`. */
export function target(
  name: string,
  value: number,
  unit: string,
  compare: '≤' | '<' | '≥',
  limit: number,
  shown = `${compare} ${limit}${unit === '×' ? '×' : ` ${unit}`}`,
): Target {
  const met = !Number.isFinite(value)
    ? null
    : compare === '≥'
      ? value >= limit
      : compare === '<'
        ? value < limit
        : value <= limit;
  return { name, value: round(value), unit, bar: shown, met };
}

function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : value;
}
