import type { StatusCategory, WorkItem } from "@pmo/contracts";
import { isClosedCategory } from "../flow/completion.js";
import { ratio } from "../stats/distribution.js";
import type { ReworkMetrics } from "../types/metrics.js";

/** Flow order of open categories; a move to a lower rank is backflow (Pluralsight Flow's term). */
const FLOW_RANK: Partial<Record<StatusCategory, number>> = { backlog: 0, todo: 1, in_progress: 2, in_review: 3 };

function isReopen(from: StatusCategory | null, to: StatusCategory): boolean {
  return isClosedCategory(from) && !isClosedCategory(to);
}

function isBackflow(from: StatusCategory | null, to: StatusCategory): boolean {
  const a = from === null ? undefined : FLOW_RANK[from];
  const b = FLOW_RANK[to];
  return a !== undefined && b !== undefined && b < a;
}

/** Reopen and backflow rates from status history. */
export function rework(items: readonly WorkItem[]): ReworkMetrics {
  const reopenedItems = [];
  const backflowItems = [];
  let closedItems = 0;
  let itemsWithHistory = 0;
  let backflowTransitions = 0;
  for (const item of items) {
    const everClosed = isClosedCategory(item.statusCategory) || item.history.some((t) => isClosedCategory(t.toCategory));
    if (everClosed) closedItems++;
    if (item.history.length > 0) itemsWithHistory++;
    if (item.history.some((t) => isReopen(t.fromCategory, t.toCategory))) reopenedItems.push(item.ref);
    const backflows = item.history.filter((t) => isBackflow(t.fromCategory, t.toCategory)).length;
    backflowTransitions += backflows;
    if (backflows > 0) backflowItems.push(item.ref);
  }
  return {
    closedItems,
    reopenedItems,
    reopenRate: ratio(reopenedItems.length, closedItems),
    itemsWithHistory,
    backflowItems,
    backflowTransitions,
    backflowRate: ratio(backflowItems.length, itemsWithHistory),
  };
}
