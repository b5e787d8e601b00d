import type { PlatformEvent, WorkItem } from "@pmo/contracts";
import type { ChangeRules } from "@pmo/platform-agent";

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

/** A task of the last snapshots that no configured list holds any more. */
export function deletionEvent(id: string, at: Date): PlatformEvent {
  return { id: `clickup:poll:${id}:deleted`, platform: "clickup", type: "item.deleted", itemRef: { platform: "clickup", id }, at: at.toISOString(), actor: null, changes: [] };
}

/**
 * ClickUp's rules for the kit's ChangeLog. `itemEvent` gives nothing only when both the status and
 * `updatedAt` are as before (the status may move alone, e.g. a status renamed in the list's
 * settings), so the stamp is both; an ISO instant has no space, so the first one separates them.
 */
export const CLICKUP_CHANGE_RULES: ChangeRules = { event: itemEvent, stamp: (item) => `${item.updatedAt} ${item.status}`, deletion: deletionEvent };

const COMPARED = ["title", "priority", "assignees", "labels", "dueAt", "estimate", "timeSpentMs", "parent", "blockedBy", "container"] as const;

function changedFields(before: WorkItem, after: WorkItem): PlatformEvent["changes"] {
  return COMPARED.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map((f) => ({ field: f, from: before[f], to: after[f] }));
}
