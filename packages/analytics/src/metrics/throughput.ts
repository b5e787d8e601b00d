import type { WorkItem } from "@pmo/contracts";
import type { MsPeriod } from "../context/period.js";
import { completedAt, pointsOf } from "../flow/completion.js";
import type { ThroughputMetrics } from "../types/metrics.js";

const WEEK_MS = 7 * 24 * 3_600_000;

export function inPeriod(ms: number | null, period: MsPeriod): boolean {
  return ms !== null && ms >= period.start && ms < period.end;
}

/** Items completed in the period (by completion instant). */
export function completedInPeriod(items: readonly WorkItem[], period: MsPeriod): WorkItem[] {
  return items.filter((i) => inPeriod(completedAt(i), period));
}

export function throughput(items: readonly WorkItem[], period: MsPeriod): ThroughputMetrics {
  const done = completedInPeriod(items, period);
  const length = period.end - period.start;
  return {
    completedInPeriod: done.length,
    pointsInPeriod: done.reduce((s, i) => s + pointsOf(i), 0),
    createdInPeriod: items.filter((i) => inPeriod(Date.parse(i.createdAt), period)).length,
    perWeek: length > 0 ? done.length / (length / WEEK_MS) : null,
  };
}
