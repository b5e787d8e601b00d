import type { WorkItem } from "@pmo/contracts";
import type { SnapshotEntry } from "@pmo/platform-agent";
import type { ClickUpTask } from "./task-shape.js";

export interface MergeInput {
  /** The configured lists. */
  listIds: readonly string[];
  /** Lists fetched in full this run: what came back is all they hold. */
  fullyFetched: ReadonlySet<string>;
  /** The configured lists' last snapshots, entry by entry (read as they stream, never held whole); an entry's list is its item's container. */
  snapshot: AsyncIterable<SnapshotEntry>;
  /** What the incremental query fetched this run, by task id (each with its current home list). */
  fetched: ReadonlyMap<string, ClickUpTask>;
  /**
   * The ids emitted before the merge (the full lists' pages, streamed as they came): neither their
   * snapshot entries nor a fetched version are emitted again. The merge adds the ids it emits.
   */
  present: Set<string>;
}

export interface MergeOutcome {
  /** Every id in a previous snapshot: those not emitted now are deleted (or moved out of the configured lists). */
  previousIds: Set<string>;
  /** The previous items of the fetched tasks (for change events). */
  before: Map<string, WorkItem>;
  /** Every id emitted, before the merge and in it (the input's `present`). */
  present: Set<string>;
}

/**
 * Merges what was fetched into the last snapshots, by task id, streaming: an incrementally fetched
 * list is its snapshot with the changed tasks replaced; a fully fetched list is exactly what came
 * back, emitted before the merge (its snapshot is read for ids and the fetched tasks' previous
 * items only). A task fetched under another list than before has moved: it leaves its old list and
 * is emitted under its new one. Only ids and the fetched tasks' previous items are kept.
 */
export async function mergeSnapshots(input: MergeInput, emit: (listId: string, task: ClickUpTask, fetched: boolean, before?: WorkItem) => Promise<void>): Promise<MergeOutcome> {
  const out: MergeOutcome = { previousIds: new Set(), before: new Map(), present: input.present };
  const configured = new Set(input.listIds);
  for await (const e of input.snapshot) {
    const id = e.item.ref.id;
    const listId = e.item.container.id;
    out.previousIds.add(id);
    if (input.fetched.has(id)) out.before.set(id, e.item);
    else if (!input.fullyFetched.has(listId) && configured.has(listId) && !out.present.has(id)) {
      out.present.add(id);
      await emit(listId, e.raw as ClickUpTask, false);
    }
  }
  for (const [id, task] of input.fetched) {
    const home = String(task.list?.id);
    if (!configured.has(home) || out.present.has(id)) continue;
    out.present.add(id);
    await emit(home, task, true, out.before.get(id));
  }
  return out;
}
