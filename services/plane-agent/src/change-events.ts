import type { PlatformEvent, WorkItem } from "@pmo/contracts";

/** Fields whose change a consumer of events cares about, compared between two collections. */
const WATCHED: readonly (keyof WorkItem)[] = ["title", "status", "priority", "assignees", "labels", "dueAt", "estimate", "iteration", "parent", "blockedBy"];

/**
 * What changed between the last snapshot and this collection, as platform events (for
 * `monitoring/plane-events.json`). Ids are derived from the item and its `updated_at`, so the same
 * change seen by a webhook-silent poll twice is one event.
 */
export function changeEvents(before: ReadonlyMap<string, WorkItem> | null, after: ReadonlyMap<string, WorkItem>, deleted: readonly string[], detectedAt: Date): PlatformEvent[] {
  if (!before) return []; // a first collection has no baseline to compare with
  const events: PlatformEvent[] = [];
  for (const [id, item] of after) {
    const old = before.get(id);
    const itemRef = item.ref;
    if (!old) {
      events.push({ id: `plane:poll:${id}:${item.updatedAt}:created`, platform: "plane", type: "item.created", itemRef, at: item.createdAt, actor: item.history[0]?.by ?? null, changes: [] });
      continue;
    }
    if (old.updatedAt === item.updatedAt) continue;
    const changes = WATCHED.filter((f) => JSON.stringify(old[f]) !== JSON.stringify(item[f])).map((f) => ({ field: f === "status" ? "status" : String(f), from: old[f], to: item[f] }));
    const statusMoved = old.status !== item.status;
    const last = item.history.at(-1);
    events.push({
      id: `plane:poll:${id}:${item.updatedAt}:${statusMoved ? "status" : "updated"}`,
      platform: "plane",
      type: statusMoved ? "status.changed" : "item.updated",
      itemRef,
      at: item.updatedAt,
      actor: statusMoved ? (last?.by ?? null) : null,
      changes,
    });
  }
  for (const id of deleted) {
    events.push({ id: `plane:poll:${id}:deleted`, platform: "plane", type: "item.deleted", itemRef: { platform: "plane", id }, at: detectedAt.toISOString(), actor: null, changes: [] });
  }
  return events;
}
