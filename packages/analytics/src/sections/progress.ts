import type { Platform, WorkItem } from "@pmo/contracts";
import type { AnalysisContext } from "../context/analysis-context.js";
import { toBrief } from "../flow/brief.js";
import { isOpen, pointsOf, workStartedAt } from "../flow/completion.js";
import { cycleTimeSamples } from "../metrics/flow-times.js";
import { computeMetricSet, countByStatusCategory } from "../metrics/metric-set.js";
import { completedInPeriod, inPeriod } from "../metrics/throughput.js";
import type { ProgressSections } from "../types/sections.js";

/** Weekly or monthly progress over the context's period (this week/month to now by default). */
export function progressSections(items: readonly WorkItem[], ctx: AnalysisContext, type: "weekly" | "monthly"): ProgressSections {
  const metrics = computeMetricSet(items, ctx);
  const completed = completedInPeriod(items, ctx.period);
  const byPlatform: ProgressSections["byPlatform"] = {};
  for (const item of items) {
    const p: Platform = item.ref.platform;
    const row = (byPlatform[p] ??= { completed: 0, points: 0, open: 0 });
    if (isOpen(item)) row.open++;
  }
  for (const item of completed) {
    const row = byPlatform[item.ref.platform]!;
    row.completed++;
    row.points += pointsOf(item);
  }
  return {
    type,
    completed: completed.map(toBrief),
    started: items.filter((i) => inPeriod(workStartedAt(i), ctx.period)).map(toBrief),
    created: metrics.throughput.createdInPeriod,
    completedPoints: metrics.throughput.pointsInPeriod,
    byPlatform,
    statusBreakdown: countByStatusCategory(items),
    cycleTimeMs: metrics.cycleTime.distribution,
    leadTimeMs: metrics.leadTime.distribution,
    cycleTimeSamplesMs: cycleTimeSamples(completed, ctx.calendar),
    wip: metrics.wip,
    bottlenecks: metrics.bottlenecks,
    blocked: metrics.blocked,
    overdue: metrics.overdue,
    assignees: metrics.assignees,
    weeks: metrics.velocity.byWeek,
  };
}
