import type { PlatformEvent, WorkItem } from "@pmo/contracts";
import { itemEvent } from "./change-events.js";
import { serializeEntry, type CollectedWriter, type SnapshotStore, type SnapshotWriter } from "@pmo/platform-agent";
import { msOrNull } from "./hierarchy.js";
import { MalformedTaskError, normaliseTask, type NormaliseContext } from "./normalise.js";
import type { ClickUpTask } from "./task-shape.js";

/**
 * Normalises tasks and streams each into the collected output and its list's new snapshot (one
 * stringify for both). A malformed task is reported, not fatal. The snapshots replace the old ones
 * only in `finish`, after the output is stored.
 */
export class TaskEmitter {
  readonly errors: { id: string | null; message: string }[] = [];
  /** What changed against the previous snapshots, decided per fetched item as it passes (none on a first run). */
  readonly events: PlatformEvent[] = [];
  /** The newest `date_updated` emitted: a lower bound of ClickUp's clock at this collection. */
  newest = 0;
  private readonly snapshots = new Map<string, SnapshotWriter>();

  constructor(
    private readonly output: CollectedWriter,
    private readonly store: SnapshotStore,
    private readonly ctx: NormaliseContext,
    /** Lists whose snapshot is written even when no task is emitted for them (an emptied list). */
    listIds: readonly string[],
    /** Whether there were previous snapshots to compare with (a first run reports no changes). */
    private readonly compare: boolean,
  ) {
    for (const id of listIds) this.snapshots.set(id, store.open(id));
  }

  /** `before`: the task's item in the previous snapshot, for a fetched task (undefined: it is new). */
  async emit(listId: string, task: ClickUpTask, fetched: boolean, before?: WorkItem): Promise<void> {
    let item: WorkItem;
    try {
      // Unchanged items are re-normalised too: tracked time and list metadata may have moved.
      item = normaliseTask(task, this.ctx);
    } catch (err) {
      if (!(err instanceof MalformedTaskError)) throw err;
      this.errors.push({ id: err.taskId ?? task?.id ?? null, message: err.message });
      return;
    }
    if (fetched && this.compare) {
      const event = itemEvent(before, item);
      if (event) this.events.push(event);
    }
    this.newest = Math.max(this.newest, msOrNull(task.date_updated) ?? 0);
    const entry = serializeEntry(item, task);
    await this.output.addSerialized(entry);
    await this.snapshots.get(listId)!.add(entry);
  }

  async finish(): Promise<void> {
    for (const snapshot of this.snapshots.values()) await snapshot.finish();
  }

  async abort(reason: unknown): Promise<void> {
    for (const snapshot of this.snapshots.values()) await snapshot.abort(reason);
  }
}
