import type { ItemRef, WorkItem } from "@pmo/contracts";
import type { SnapshotEntry } from "@pmo/platform-agent";
import type { ClickUpTask } from "./task-shape.js";

/** One list's tasks after the merge; `item` is the snapshot's normalisation (null for a task just fetched). */
export type ListState = Map<string, { raw: ClickUpTask; item: WorkItem | null }>;

export interface MergedCollection {
  /** Every list's tasks now. */
  lists: Map<string, ListState>;
  /** The items of the previous snapshots, by id (for change events). */
  previous: Map<string, WorkItem>;
  /** In a previous snapshot, and now in no list: deleted (or moved out of the configured lists). */
  deleted: ItemRef[];
}

/**
 * Merges what was fetched into the last snapshots, by task id: a fully fetched list is exactly what
 * came back; an incrementally fetched one is its snapshot with the changed tasks replaced. A task
 * seen under another list than before has moved, and leaves its old list.
 */
export function mergeSnapshots(
  listIds: readonly string[],
  fullyFetched: ReadonlySet<string>,
  snapshots: ReadonlyMap<string, ReadonlyMap<string, SnapshotEntry>>,
  fetched: ReadonlyMap<string, ClickUpTask>,
): MergedCollection {
  const previous = new Map<string, WorkItem>();
  const lists = new Map<string, ListState>();
  const home = new Map<string, string>(); // task id → list it is in now
  for (const listId of listIds) {
    const snap = snapshots.get(listId);
    const state: ListState = new Map();
    for (const [id, e] of snap ?? []) {
      previous.set(id, e.item);
      if (!fullyFetched.has(listId)) {
        state.set(id, { raw: e.raw as ClickUpTask, item: e.item });
        home.set(id, listId);
      }
    }
    lists.set(listId, state);
  }
  for (const [id, task] of fetched) {
    const listId = String(task.list?.id);
    const target = lists.get(listId);
    if (!target) continue;
    const was = home.get(id);
    if (was !== undefined && was !== listId) lists.get(was)!.delete(id);
    target.set(id, { raw: task, item: null });
    home.set(id, listId);
  }
  const deleted = [...previous.keys()].filter((id) => !home.has(id)).map((id) => ({ platform: "clickup" as const, id }));
  return { lists, previous, deleted };
}
