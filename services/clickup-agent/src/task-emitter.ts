import type { WorkItem } from "@pmo/contracts";
import { serializeEntry, type CollectedWriter, type SnapshotStore, type SnapshotWriter } from "@pmo/platform-agent";
import { msOrNull } from "./hierarchy.js";
import { MalformedTaskError, normaliseTask, type NormaliseContext } from "./normalise.js";
import type { ClickUpTask } from "./task-shape.js";

/**
 * Normalises tasks and streams each into the collected output and its list's new snapshot (one
 * stringify for both). A malformed task is reported, not fatal. The snapshots replace the old ones
 * only in `finish`, after the output is stored. Each item is handed back, for the caller's change log.
 */
export class TaskEmitter {
  readonly errors: { id: string | null; message: string }[] = [];
  /** The newest `date_updated` emitted: a lower bound of ClickUp's clock at this collection. */
  newest = 0;
  private readonly snapshots = new Map<string, SnapshotWriter>();

  constructor(
    private readonly output: CollectedWriter,
    private readonly store: SnapshotStore,
    private readonly ctx: NormaliseContext,
    /** Lists whose snapshot is written even when no task is emitted for them (an emptied list). */
    listIds: readonly string[],
  ) {
    for (const id of listIds) this.snapshots.set(id, store.open(id));
  }

  /** The task's item as emitted under `listId`, or null when the task is malformed (reported in `errors`). */
  async emit(listId: string, task: ClickUpTask): Promise<WorkItem | null> {
    let item: WorkItem;
    try {
      // Unchanged items are re-normalised too: tracked time and list metadata may have moved.
      item = normaliseTask(task, this.ctx);
    } catch (err) {
      if (!(err instanceof MalformedTaskError)) throw err;
      this.errors.push({ id: err.taskId ?? task?.id ?? null, message: err.message });
      return null;
    }
    this.newest = Math.max(this.newest, msOrNull(task.date_updated) ?? 0);
    const entry = serializeEntry(item, task);
    await this.output.addSerialized(entry);
    await this.snapshots.get(listId)!.add(entry);
    return item;
  }

  async finish(): Promise<void> {
    for (const snapshot of this.snapshots.values()) await snapshot.finish();
  }

  async abort(reason: unknown): Promise<void> {
    for (const snapshot of this.snapshots.values()) await snapshot.abort(reason);
  }
}
