import { SnapshotStore, type SnapshotEntry, type SnapshotWriter } from "@pmo/platform-agent";
import type { ArtifactStore } from "@pmo/runtime";
import type { HeapWatch } from "./heap-watch.js";

/** What the watch calls the entries the store hands out. */
export const SNAPSHOT_ENTRIES = "snapshot entries";

/**
 * The agent's SnapshotStore, watching what it hands out: each entry read (with its item and raw
 * task: keeping any of them keeps the entry's weight) is watched, and every entry read or written
 * is an event of the watch (its sampling clock).
 */
export class WatchedSnapshotStore extends SnapshotStore {
  /** Entries read since `reset`. */
  handedOut = 0;

  constructor(
    store: ArtifactStore,
    private readonly heap: HeapWatch,
  ) {
    super(store, "clickup");
  }

  reset(): void {
    this.handedOut = 0;
    this.heap.reset();
  }

  override async *entries(container: string): AsyncGenerator<SnapshotEntry> {
    for await (const entry of super.entries(container)) {
      this.handedOut++;
      await this.heap.tick();
      this.heap.watch(SNAPSHOT_ENTRIES, entry, entry.item, entry.raw as object);
      yield entry;
    }
  }

  override open(container: string): SnapshotWriter {
    const writer = super.open(container);
    return {
      ...writer,
      add: async (entry) => {
        await this.heap.tick();
        await writer.add(entry);
      },
    };
  }
}
