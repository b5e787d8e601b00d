import type { PlatformEvent, WorkItem } from "@pmo/contracts";
import { deletionEvent, itemEvent } from "../change-events.js";

/**
 * The events a collection must report, worked out the slow way: every emitted item (in the order
 * they were written) compared with its previous version, then the deletions.
 */
export function fullComparisonEvents(previous: ReadonlyMap<string, WorkItem>, items: readonly WorkItem[], deleted: readonly string[], collectedAt: string): PlatformEvent[] {
  const changed = items.map((i) => itemEvent(previous.get(i.ref.id), i)).filter((e): e is PlatformEvent => e !== null);
  return JSON.parse(JSON.stringify([...changed, ...deleted.map((id) => deletionEvent(id, new Date(collectedAt)))])) as PlatformEvent[];
}
