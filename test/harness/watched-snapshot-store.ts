import { CollectedSnapshots, type SnapshotEntry, type SnapshotRef } from "@pmo/platform-agent";
import type { ArtifactStore } from "@pmo/runtime";
import type { HeapWatch } from "./heap-watch.js";

/** What the watch calls the entries the store hands out. */
export const SNAPSHOT_ENTRIES = "snapshot entries";

/** Entries handed on, each watched with its parts, each an event of the watch (its sampling clock). */
async function* watched(heap: HeapWatch, entries: AsyncIterable<SnapshotEntry>, parts: (entry: SnapshotEntry) => object[]): AsyncGenerator<SnapshotEntry> {
  for await (const entry of entries) {
    await heap.tick();
    heap.watch(SNAPSHOT_ENTRIES, entry, ...parts(entry));
    yield entry;
  }
}

/**
 * CollectedSnapshots (the snapshots an agent reads from earlier outputs), watching what it hands
 * out: each entry read (with its large parts: keeping any of them keeps the entry's weight) is
 * watched, and every entry read is an event of the watch (its sampling clock).
 */
export class WatchedCollectedSnapshots extends CollectedSnapshots {
  /** Entries read since `reset`. */
  handedOut = 0;

  constructor(
    store: ArtifactStore,
    private readonly heap: HeapWatch,
    private readonly parts: (entry: SnapshotEntry) => object[] = (e) => [e.item, e.raw as object],
  ) {
    super(store);
  }

  reset(): void {
    this.handedOut = 0;
    this.heap.reset();
  }

  override async *entries(refs: ReadonlyMap<string, SnapshotRef>): AsyncGenerator<SnapshotEntry> {
    for await (const entry of watched(this.heap, super.entries(refs), this.parts)) {
      this.handedOut++;
      yield entry;
    }
  }
}
