import type { WorkItem } from "@pmo/contracts";
import { refKey } from "../context/analysis-context.js";
import type { MsPeriod } from "../context/period.js";
import { completedAt, isOpen, pointsOf } from "../flow/completion.js";
import type { AssigneeLoad, BlockedItem, DueItem } from "../types/metrics.js";
import { inPeriod } from "./throughput.js";
import { UNASSIGNED } from "./wip.js";

/** Load per person (an item counts for each of its assignees), busiest first. */
export function assigneeLoad(
  items: readonly WorkItem[],
  period: MsPeriod,
  blocked: readonly BlockedItem[],
  overdue: readonly DueItem[],
): AssigneeLoad[] {
  const blockedKeys = new Set(blocked.map((b) => refKey(b.item.ref)));
  const overdueKeys = new Set(overdue.map((d) => refKey(d.item.ref)));
  const loads = new Map<string, AssigneeLoad>();
  const loadOf = (assignee: string): AssigneeLoad => {
    let load = loads.get(assignee);
    if (!load) {
      load = { assignee, open: 0, inProgress: 0, inReview: 0, openPoints: 0, blocked: 0, overdue: 0, completedInPeriod: 0 };
      loads.set(assignee, load);
    }
    return load;
  };
  for (const item of items) {
    const open = isOpen(item);
    const doneInPeriod = inPeriod(completedAt(item), period);
    if (!open && !doneInPeriod) continue;
    const key = refKey(item.ref);
    for (const who of item.assignees.length ? item.assignees : [UNASSIGNED]) {
      const load = loadOf(who);
      if (doneInPeriod) load.completedInPeriod++;
      if (!open) continue;
      load.open++;
      load.openPoints += pointsOf(item);
      if (item.statusCategory === "in_progress") load.inProgress++;
      if (item.statusCategory === "in_review") load.inReview++;
      if (blockedKeys.has(key)) load.blocked++;
      if (overdueKeys.has(key)) load.overdue++;
    }
  }
  return [...loads.values()].sort((a, b) => b.open - a.open || a.assignee.localeCompare(b.assignee));
}
