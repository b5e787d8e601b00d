import type { PlatformEvent, WorkItem } from "@pmo/contracts";

/** Fields whose change a consumer of events cares about, compared between two collections. */
const WATCHED: readonly (keyof WorkItem)[] = ["title", "status", "priority", "assignees", "labels", "dueAt", "estimate", "iteration", "parent", "blockedBy"];

/**
 * What changed in one item since the last snapshot, as a platform event (for
 * `monitoring/plane-events.json`): created when it had no previous version, nothing when its
 * `updated_at` did not move. Ids are derived from the item and its `updated_at`, so the same change
 * seen by a webhook-silent poll twice is one event.
 */
export function itemEvent(before: WorkItem | undefined, item: WorkItem): PlatformEvent | null {
  const id = item.ref.id;
  const itemRef = item.ref;
  if (!before) {
    return { id: `plane:poll:${id}:${item.updatedAt}:created`, platform: "plane", type: "item.created", itemRef, at: item.createdAt, actor: item.history[0]?.by ?? null, changes: [] };
  }
  if (before.updatedAt === item.updatedAt) return null;
  const changes = WATCHED.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(item[f])).map((f) => ({ field: String(f), from: before[f], to: item[f] }));
  const statusMoved = before.status !== item.status;
  const last = item.history.at(-1);
  return {
    id: `plane:poll:${id}:${item.updatedAt}:${statusMoved ? "status" : "updated"}`,
    platform: "plane",
    type: statusMoved ? "status.changed" : "item.updated",
    itemRef,
    at: item.updatedAt,
    actor: statusMoved ? (last?.by ?? null) : null,
    changes,
  };
}

/** An item of the last snapshot that Plane no longer lists. */
export function deletionEvent(id: string, detectedAt: Date): PlatformEvent {
  return { id: `plane:poll:${id}:deleted`, platform: "plane", type: "item.deleted", itemRef: { platform: "plane", id }, at: detectedAt.toISOString(), actor: null, changes: [] };
}
