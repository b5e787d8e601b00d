import type { WorkItem } from "@pmo/contracts";
import type { AnalysisContext } from "../context/analysis-context.js";
import { toBrief } from "../flow/brief.js";
import { isOpen } from "../flow/completion.js";
import type { DueItem } from "../types/metrics.js";

function dueOf(item: WorkItem, ctx: AnalysisContext): DueItem | null {
  if (!item.dueAt || !isOpen(item)) return null;
  const due = Date.parse(item.dueAt);
  const overdueMs = due < ctx.nowMs ? ctx.calendar.duration(due, ctx.nowMs) : -ctx.calendar.duration(ctx.nowMs, due);
  return { item: toBrief(item), overdueMs };
}

/** Open items past their due date, most overdue first. */
export function overdueItems(items: readonly WorkItem[], ctx: AnalysisContext): DueItem[] {
  return items
    .filter((i) => i.dueAt !== null && Date.parse(i.dueAt) < ctx.nowMs)
    .map((i) => dueOf(i, ctx))
    .filter((d): d is DueItem => d !== null)
    .sort((a, b) => b.overdueMs - a.overdueMs);
}

/** Open items due within `dueSoonDays` of (calendar) time, soonest first. */
export function dueSoonItems(items: readonly WorkItem[], ctx: AnalysisContext): DueItem[] {
  const window = ctx.thresholds.dueSoonDays * ctx.calendar.dayMs;
  return items
    .filter((i) => i.dueAt !== null && Date.parse(i.dueAt) >= ctx.nowMs)
    .map((i) => dueOf(i, ctx))
    .filter((d): d is DueItem => d !== null && -d.overdueMs <= window)
    .sort((a, b) => b.overdueMs - a.overdueMs);
}
