import type { Distribution } from "../types/common.js";

/**
 * The p-th percentile (0 ≤ p ≤ 1) of an ascending-sorted sample, by linear interpolation between
 * closest ranks (Hyndman–Fan type 7, numpy's default): h = (n−1)p, x[⌊h⌋] + (h−⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return below + (h - lo) * (above - below);
}

export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0, mean: null, median: null, p75: null, p90: null, min: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    count: sorted.length,
    mean: sum / sorted.length,
    median: percentile(sorted, 0.5),
    p75: percentile(sorted, 0.75),
    p90: percentile(sorted, 0.9),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

/** Least-squares slope of ys against 0, 1, 2…; null with fewer than two points. */
export function slope(ys: readonly number[]): number | null {
  const n = ys.length;
  if (n < 2) return null;
  const meanX = (n - 1) / 2;
  const meanY = ys.reduce((s, y) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  return num / den;
}

export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
