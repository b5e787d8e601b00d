import type { ItemRef, PlatformEvent, WorkItem } from "@pmo/contracts";

/**
 * What changed since the last collection, as platform events (the poller's view, written to
 * `monitoring/clickup-events.json`): created, status changed, updated, deleted. Ids are derived
 * from the task id and its `date_updated`, so the same change seen by two runs has one id.
 */
export function changeEvents(previous: ReadonlyMap<string, WorkItem>, fetched: readonly WorkItem[], deleted: readonly ItemRef[], at: Date): PlatformEvent[] {
  const events: PlatformEvent[] = [];
  for (const item of fetched) {
    const before = previous.get(item.ref.id);
    const base = { platform: "clickup" as const, itemRef: item.ref, at: item.updatedAt, actor: null };
    const stamp = Date.parse(item.updatedAt);
    if (!before) events.push({ ...base, id: `clickup:poll:${item.ref.id}:created`, type: "item.created", changes: [] });
    else if (before.status !== item.status) {
      events.push({ ...base, id: `clickup:poll:${item.ref.id}:${stamp}:status`, type: "status.changed", changes: [{ field: "status", from: before.status, to: item.status }] });
    } else if (before.updatedAt !== item.updatedAt) {
      events.push({ ...base, id: `clickup:poll:${item.ref.id}:${stamp}`, type: "item.updated", changes: changedFields(before, item) });
    }
  }
  for (const ref of deleted) events.push({ id: `clickup:poll:${ref.id}:deleted`, platform: "clickup", type: "item.deleted", itemRef: ref, at: at.toISOString(), actor: null, changes: [] });
  return events;
}

const COMPARED = ["title", "priority", "assignees", "labels", "dueAt", "estimate", "timeSpentMs", "parent", "blockedBy", "container"] as const;

function changedFields(before: WorkItem, after: WorkItem): PlatformEvent["changes"] {
  return COMPARED.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map((f) => ({ field: f, from: before[f], to: after[f] }));
}
