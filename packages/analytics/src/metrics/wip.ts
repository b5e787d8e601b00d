import type { WorkItem } from "@pmo/contracts";
import type { WipMetrics } from "../types/metrics.js";

export const UNASSIGNED = "(unassigned)";

export function isInProgress(item: WorkItem): boolean {
  return item.statusCategory === "in_progress" || item.statusCategory === "in_review";
}

/** Work in progress at the items' current state; an item with two assignees counts for each. */
export function workInProgress(items: readonly WorkItem[]): WipMetrics {
  const active = items.filter(isInProgress);
  const byAssignee: Record<string, number> = {};
  for (const item of active) {
    for (const who of item.assignees.length ? item.assignees : [UNASSIGNED]) byAssignee[who] = (byAssignee[who] ?? 0) + 1;
  }
  return {
    total: active.length,
    inProgress: active.filter((i) => i.statusCategory === "in_progress").length,
    inReview: active.filter((i) => i.statusCategory === "in_review").length,
    byAssignee,
  };
}
