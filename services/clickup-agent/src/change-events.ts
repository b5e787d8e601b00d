import type { ItemRef, PlatformEvent, WorkItem } from "@pmo/contracts";

/**
 * What changed since the last collection, as platform events (the poller's view, written to
 * `monitoring/clickup-events.json`): created, status changed, updated, deleted. Ids are derived
 * from the task id and its `date_updated`, so the same change seen by two runs has one id.
 * This is the event for one fetched item against its previous version, if anything changed.
 */
export function itemEvent(before: WorkItem | undefined, item: WorkItem): PlatformEvent | null {
  const base = { platform: "clickup" as const, itemRef: item.ref, at: item.updatedAt, actor: null };
  const stamp = Date.parse(item.updatedAt);
  if (!before) return { ...base, id: `clickup:poll:${item.ref.id}:created`, type: "item.created", changes: [] };
  if (before.status !== item.status) return { ...base, id: `clickup:poll:${item.ref.id}:${stamp}:status`, type: "status.changed", changes: [{ field: "status", from: before.status, to: item.status }] };
  if (before.updatedAt !== item.updatedAt) return { ...base, id: `clickup:poll:${item.ref.id}:${stamp}`, type: "item.updated", changes: changedFields(before, item) };
  return null;
}

export function deletionEvents(deleted: readonly ItemRef[], at: Date): PlatformEvent[] {
  return deleted.map((ref) => ({ id: `clickup:poll:${ref.id}:deleted`, platform: "clickup" as const, type: "item.deleted" as const, itemRef: ref, at: at.toISOString(), actor: null, changes: [] }));
}

const COMPARED = ["title", "priority", "assignees", "labels", "dueAt", "estimate", "timeSpentMs", "parent", "blockedBy", "container"] as const;

function changedFields(before: WorkItem, after: WorkItem): PlatformEvent["changes"] {
  return COMPARED.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map((f) => ({ field: f, from: before[f], to: after[f] }));
}
