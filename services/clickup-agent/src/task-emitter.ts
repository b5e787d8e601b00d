import type { WorkItem } from "@pmo/contracts";
import { serializeEntry, type CollectedWriter } from "@pmo/platform-agent";
import { msOrNull } from "./hierarchy.js";
import { MalformedTaskError, normaliseTask, type NormaliseContext } from "./normalise.js";
import type { ClickUpTask } from "./task-shape.js";

/**
 * Normalises tasks and streams each into the collected output, which is also the lists' next
 * snapshot (CollectedSnapshots). A malformed task is reported, not fatal. Each item is handed back,
 * for the caller's change log.
 */
export class TaskEmitter {
  readonly errors: { id: string | null; message: string }[] = [];
  /** The newest `date_updated` emitted: a lower bound of ClickUp's clock at this collection. */
  newest = 0;

  constructor(
    private readonly output: CollectedWriter,
    private readonly ctx: NormaliseContext,
  ) {}

  /** The task's item, or null when the task is malformed (reported in `errors`). */
  async emit(task: ClickUpTask): Promise<WorkItem | null> {
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
    await this.output.addSerialized(serializeEntry(item, task));
    return item;
  }
}
