import type { WorkItem } from "@pmo/contracts";
import type { Iteration } from "../types/options.js";

/** Distinct dated iterations found on the items, ordered by start. Undated iterations cannot be bucketed. */
export function sprintsFromItems(items: readonly WorkItem[]): Iteration[] {
  const byId = new Map<string, Iteration>();
  for (const { iteration } of items) {
    if (!iteration?.startAt || !iteration.endAt || byId.has(iteration.id)) continue;
    byId.set(iteration.id, { id: iteration.id, name: iteration.name, startAt: new Date(iteration.startAt), endAt: new Date(iteration.endAt) });
  }
  return sortSprints([...byId.values()]);
}

export function sortSprints(sprints: readonly Iteration[]): Iteration[] {
  return [...sprints].sort((a, b) => a.startAt.getTime() - b.startAt.getTime() || a.id.localeCompare(b.id));
}

/** The sprint whose [startAt, endAt) contains `ms`, or null. */
export function sprintAt(sprints: readonly Iteration[], ms: number): Iteration | null {
  return sprints.find((s) => s.startAt.getTime() <= ms && ms < s.endAt.getTime()) ?? null;
}
