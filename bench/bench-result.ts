/** What every bench/*.bench.ts `run()` returns. */
export interface BenchResult {
  /** What was measured, e.g. "ingest 200 × 15 MB vs plain copy". */
  name: string;
  /** Our figure against the anchor measured in the same run; `detail` says which way is better. */
  ratio: number;
  /** The raw figures and the target, for the reader. */
  detail: string;
}

/** Median of a list of numbers (benchmarks report medians, not means). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
