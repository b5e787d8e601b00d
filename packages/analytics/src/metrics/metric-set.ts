import type { StatusCategory, WorkItem } from "@pmo/contracts";
import type { AnalysisContext } from "../context/analysis-context.js";
import { isOpen } from "../flow/completion.js";
import type { MetricSet } from "../types/metrics.js";
import { assigneeLoad } from "./assignees.js";
import { blockedItems } from "./blocked.js";
import { dueSoonItems, overdueItems } from "./due.js";
import { estimateAccuracy } from "./estimates.js";
import { cycleTimes, leadTimes } from "./flow-times.js";
import { responsiveness } from "./responsiveness.js";
import { rework } from "./rework.js";
import { prsAwaitingReview, staleItems } from "./stale.js";
import { throughput } from "./throughput.js";
import { bottlenecks, timeInStatus } from "./time-in-status.js";
import { forecastSprint, summarizeSeries, throughputBySprint, throughputByWeek } from "./velocity.js";
import { workInProgress } from "./wip.js";

export function countByStatusCategory(items: readonly WorkItem[]): Record<StatusCategory, number> {
  const counts: Record<StatusCategory, number> = { backlog: 0, todo: 0, in_progress: 0, in_review: 0, done: 0, cancelled: 0 };
  for (const item of items) counts[item.statusCategory]++;
  return counts;
}

function countByStatus(items: readonly WorkItem[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item.status] = (counts[item.status] ?? 0) + 1;
  return counts;
}

/** Every metric of issue 5 §1 over one set of items (a platform, or the whole project). */
export function computeMetricSet(items: readonly WorkItem[], ctx: AnalysisContext): MetricSet {
  const { calendar, nowMs, period, sprints } = ctx;
  const byCategory = countByStatusCategory(items);
  const statusTimes = timeInStatus(items, nowMs, calendar);
  const blocked = blockedItems(items, ctx);
  const overdue = overdueItems(items, ctx);
  const sprintSeries = throughputBySprint(items, sprints, nowMs);
  return {
    counts: {
      total: items.length,
      open: items.filter(isOpen).length,
      done: byCategory.done,
      cancelled: byCategory.cancelled,
      byStatusCategory: byCategory,
      byStatus: countByStatus(items),
    },
    velocity: {
      byWeek: summarizeSeries(throughputByWeek(items, period.start, nowMs, calendar), nowMs),
      bySprint: summarizeSeries(sprintSeries, nowMs),
      forecast: forecastSprint(items, sprints, sprintSeries, nowMs, calendar),
    },
    throughput: throughput(items, period),
    wip: workInProgress(items),
    leadTime: leadTimes(items, period, calendar),
    cycleTime: cycleTimes(items, period, calendar),
    responsiveness: responsiveness(items, ctx),
    timeInStatus: statusTimes,
    bottlenecks: bottlenecks(statusTimes),
    blocked,
    overdue,
    dueSoon: dueSoonItems(items, ctx),
    stale: staleItems(items, ctx),
    prsAwaitingReview: prsAwaitingReview(items, ctx),
    assignees: assigneeLoad(items, period, blocked, overdue),
    rework: rework(items),
    estimates: estimateAccuracy(items),
  };
}
