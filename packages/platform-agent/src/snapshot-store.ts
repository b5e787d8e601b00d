import type { Platform, WorkItem } from "@pmo/contracts";
import { sanitizeFileSegment } from "@pmo/contracts";
import type { ArtifactStore } from "@pmo/runtime";

/** One entry of a snapshot: the normalised item and the platform's raw object. */
export interface SnapshotEntry {
  item: WorkItem;
  raw: unknown;
}

/**
 * The last full picture of one container, kept between runs so an incremental collection can fetch
 * only what changed and merge it in. Stored as JSON lines in the object store under the pseudo
 * workflow `_snapshots` (`pmo artifacts _snapshots` lists them).
 */
export class SnapshotStore {
  static readonly OWNER = "_snapshots";

  constructor(
    private readonly store: ArtifactStore,
    private readonly platform: Platform,
  ) {}

  private path(container: string): string {
    return `${this.platform}/${sanitizeFileSegment(container)}.jsonl`;
  }

  async load(container: string): Promise<Map<string, SnapshotEntry> | null> {
    const stream = await this.store.getStream(SnapshotStore.OWNER, this.path(container));
    if (!stream) return null;
    const entries = new Map<string, SnapshotEntry>();
    const decoder = new TextDecoder();
    let rest = "";
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
      const lines = (rest + decoder.decode(chunk, { stream: true })).split("\n");
      rest = lines.pop()!;
      for (const line of lines) if (line) addLine(entries, line);
    }
    if (rest) addLine(entries, rest);
    return entries;
  }

  async save(container: string, entries: Iterable<SnapshotEntry>): Promise<void> {
    const encoder = new TextEncoder();
    const iterator = entries[Symbol.iterator]();
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // A few hundred lines per pull keeps memory flat and the object store's chunks full.
        for (let i = 0; i < 256; i++) {
          const next = iterator.next();
          if (next.done) return controller.close();
          controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
        }
      },
    });
    await this.store.putStream(SnapshotStore.OWNER, this.path(container), stream, "application/x-ndjson");
  }
}

function addLine(entries: Map<string, SnapshotEntry>, line: string): void {
  const e = JSON.parse(line) as SnapshotEntry;
  entries.set(e.item.ref.id, e);
}
