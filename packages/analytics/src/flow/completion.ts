import type { StatusCategory, WorkItem } from "@pmo/contracts";

const CLOSED: ReadonlySet<StatusCategory> = new Set(["done", "cancelled"]);

export function isClosedCategory(category: StatusCategory | null): boolean {
  return category !== null && CLOSED.has(category);
}

/** Open = neither done nor cancelled, at the item's current state. */
export function isOpen(item: WorkItem): boolean {
  return !isClosedCategory(item.statusCategory);
}

/**
 * When the item was completed (epoch ms), or null: the last transition into `done` when the item is
 * done now (a reopened-then-redone item completes at its final close), else `closedAt`.
 */
export function completedAt(item: WorkItem): number | null {
  if (item.statusCategory !== "done") return null;
  for (let i = item.history.length - 1; i >= 0; i--) {
    const t = item.history[i]!;
    if (t.toCategory === "done") return Date.parse(t.at);
  }
  return item.closedAt ? Date.parse(item.closedAt) : null;
}

/** When the item was closed, done or cancelled (issues' time to close counts both). */
export function closedAt(item: WorkItem): number | null {
  if (!isClosedCategory(item.statusCategory)) return null;
  for (let i = item.history.length - 1; i >= 0; i--) {
    const t = item.history[i]!;
    if (isClosedCategory(t.toCategory)) return Date.parse(t.at);
  }
  return item.closedAt ? Date.parse(item.closedAt) : null;
}

export function pointsOf(item: WorkItem): number {
  return item.estimate?.points ?? 0;
}

/** When work on the item first started: its first move into in_progress/in_review, else `startedAt`. */
export function workStartedAt(item: WorkItem): number | null {
  let first: number | null = null;
  for (const t of item.history) {
    if (t.toCategory !== "in_progress" && t.toCategory !== "in_review") continue;
    const at = Date.parse(t.at);
    if (first === null || at < first) first = at;
  }
  return first ?? (item.startedAt ? Date.parse(item.startedAt) : null);
}
