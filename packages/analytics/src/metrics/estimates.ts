import type { WorkItem } from "@pmo/contracts";
import { distribution } from "../stats/distribution.js";
import type { EstimateAccuracy } from "../types/metrics.js";

/** |spent/estimate − 1| within this is an accurate estimate. @default 0.2 */
export const ESTIMATE_TOLERANCE = 0.2;

/** Tracked time against the ms estimate, over completed items that have both. */
export function estimateAccuracy(items: readonly WorkItem[]): EstimateAccuracy {
  const pairs = items
    .filter((i) => i.statusCategory === "done" && (i.estimate?.ms ?? 0) > 0 && i.timeSpentMs !== null)
    .map((i) => ({ estimated: i.estimate!.ms!, spent: i.timeSpentMs! }));
  const ratios = pairs.map((p) => p.spent / p.estimated);
  return {
    sampleSize: pairs.length,
    estimatedMs: pairs.reduce((s, p) => s + p.estimated, 0),
    spentMs: pairs.reduce((s, p) => s + p.spent, 0),
    ratio: distribution(ratios),
    withinTolerance: ratios.filter((r) => Math.abs(r - 1) <= ESTIMATE_TOLERANCE).length,
    over: ratios.filter((r) => r > 1 + ESTIMATE_TOLERANCE).length,
    under: ratios.filter((r) => r < 1 - ESTIMATE_TOLERANCE).length,
    tolerance: ESTIMATE_TOLERANCE,
  };
}
