import type { Platform } from "@pmo/contracts";
import { CollectedSnapshots, SnapshotStore, type SnapshotEntry, type SnapshotRef, type SnapshotWriter } from "@pmo/platform-agent";
import type { ArtifactStore } from "@pmo/runtime";
import type { HeapWatch } from "./heap-watch.js";

/** What the watch calls the entries the store hands out. */
export const SNAPSHOT_ENTRIES = "snapshot entries";

/**
 * An agent's SnapshotStore, watching what it hands out: each entry read (with its large parts:
 * keeping any of them keeps the entry's weight) is watched, and every entry read or written is an
 * event of the watch (its sampling clock). `load` reads through `entries`, so it is watched too.
 */
export class WatchedSnapshotStore extends SnapshotStore {
  /** Entries read since `reset`. */
  handedOut = 0;

  constructor(
    store: ArtifactStore,
    platform: Platform,
    private readonly heap: HeapWatch,
    /** An entry's parts worth watching besides itself (by default its item and its raw record). */
    private readonly parts: (entry: SnapshotEntry) => object[] = (e) => [e.item, e.raw as object],
  ) {
    super(store, platform);
  }

  reset(): void {
    this.handedOut = 0;
    this.heap.reset();
  }

  override async *entries(container: string): AsyncGenerator<SnapshotEntry> {
    for await (const entry of watched(this.heap, super.entries(container), this.parts)) {
      this.handedOut++;
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

/** Entries handed on, each watched with its parts, each an event of the watch (its sampling clock). */
async function* watched(heap: HeapWatch, entries: AsyncIterable<SnapshotEntry>, parts: (entry: SnapshotEntry) => object[]): AsyncGenerator<SnapshotEntry> {
  for await (const entry of entries) {
    await heap.tick();
    heap.watch(SNAPSHOT_ENTRIES, entry, ...parts(entry));
    yield entry;
  }
}

/** CollectedSnapshots (the snapshots an agent reads from earlier outputs), watching what it hands out as WatchedSnapshotStore does. */
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
