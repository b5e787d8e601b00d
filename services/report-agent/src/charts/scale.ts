/** Axis ticks at "nice" steps (1, 2, 2.5, 5 × 10ⁿ), so a chart reads 0, 5, 10, 15 rather than 0, 4.3, 8.6. */
export function niceTicks(max: number, opts: { target?: number; integer?: boolean } = {}): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / (opts.target ?? 5);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  // Counts of items never read 0.5: whole steps, and 2.5 × 10ⁿ only from 25 up.
  if (opts.integer) step = step < 1 ? 1 : step === 2.5 ? 2 : step;
  const ticks: number[] = [];
  for (let v = 0; v < max + step / 2; v += step) ticks.push(roundTo(v, step));
  if (ticks[ticks.length - 1]! < max) ticks.push(roundTo(ticks[ticks.length - 1]! + step, step));
  return ticks;
}

function roundTo(v: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(decimals));
}

/** A compact label for an axis or bar value: 1200 → "1.2k", 2.5 → "2.5", 3 → "3". */
export function tickLabel(v: number): string {
  if (Math.abs(v) >= 10_000) return `${Number((v / 1000).toFixed(1))}k`;
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(1)));
}
