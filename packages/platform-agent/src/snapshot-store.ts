import type { Platform, WorkItem } from "@pmo/contracts";
import { sanitizeFileSegment } from "@pmo/contracts";
import type { ArtifactStore } from "@pmo/runtime";
import { JsonStreamWriter, serializeEntry, textLines, type SerializedEntry } from "./json-stream.js";

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
    if (!(await this.exists(container))) return null;
    const entries = new Map<string, SnapshotEntry>();
    for await (const e of this.entries(container)) entries.set(e.item.ref.id, e);
    return entries;
  }

  async exists(container: string): Promise<boolean> {
    return (await this.store.info(SnapshotStore.OWNER, this.path(container))) !== null;
  }

  /** The container's snapshot entry by entry, read as it streams in (nothing when there is none). */
  async *entries(container: string): AsyncGenerator<SnapshotEntry> {
    const stream = await this.store.getStream(SnapshotStore.OWNER, this.path(container));
    if (!stream) return;
    for await (const line of textLines(stream)) if (line) yield JSON.parse(line) as SnapshotEntry;
  }

  /** Replaces the container's snapshot with `entries`. */
  async save(container: string, entries: Iterable<SnapshotEntry>): Promise<void> {
    const writer = this.open(container);
    try {
      for (const e of entries) await writer.add(serializeEntry(e.item, e.raw));
    } catch (err) {
      await writer.abort(err);
      throw err;
    }
    await writer.finish();
  }

  /**
   * A new snapshot of the container, streamed line by line; it replaces the old one only when
   * `finish` resolves (an aborted one leaves the old in place).
   */
  open(container: string): SnapshotWriter {
    const out = new JsonStreamWriter(this.store, SnapshotStore.OWNER, this.path(container), "application/x-ndjson");
    return {
      add: (e) => out.write(`{"item":${e.item},"raw":`, ...e.raw, "}\n"),
      finish: async () => void (await out.finish()),
      abort: (reason) => out.abort(reason),
    };
  }
}

export interface SnapshotWriter {
  add(entry: SerializedEntry): Promise<void>;
  finish(): Promise<void>;
  abort(reason: unknown): Promise<void>;
}
