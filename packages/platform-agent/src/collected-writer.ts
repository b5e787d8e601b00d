import type { ArtifactRef, ItemRef, Platform, WorkItem } from "@pmo/contracts";
import type { ArtifactStore } from "@pmo/runtime";
import { JsonStreamWriter, serializeEntry, textLines, type SerializedEntry } from "./json-stream.js";
import type { SnapshotEntry } from "./snapshot-entry.js";

type Mode = "full" | "incremental";

/**
 * Streams `data/<platform>-collected.json` (CollectedDataSchema) into the object store as items
 * arrive, so a 100k-item collection never sits in memory as one string. `add` waits when the store
 * is slower than the collector (backpressure). The mode may be given at the end, when a collector
 * only knows after its last container whether the run was full.
 */
export class CollectedWriter {
  private readonly out: JsonStreamWriter;
  private count = 0;

  constructor(
    store: ArtifactStore,
    workflowId: string,
    path: string,
    private readonly header: { platform: Platform; collectedAt: string; mode?: Mode; containers: string[] },
  ) {
    this.out = new JsonStreamWriter(store, workflowId, path, "application/json");
    const mode = header.mode ? `"mode":${JSON.stringify(header.mode)},` : "";
    void this.out.write(`{"platform":${JSON.stringify(header.platform)},"collectedAt":${JSON.stringify(header.collectedAt)},${mode}"containers":${JSON.stringify(header.containers)},"items":[`);
  }

  get items(): number {
    return this.count;
  }

  add(item: WorkItem, raw: unknown): Promise<void> {
    return this.addSerialized(serializeEntry(item, raw));
  }

  /** An entry already serialised (the same strings also go to the snapshot: each item is stringified once). */
  addSerialized(entry: SerializedEntry): Promise<void> {
    // `{...item, raw}` without building it: the item's JSON minus its closing brace, then the raw.
    // One entry a line (JSON text has no raw line break in a string): collectedEntries reads it back.
    // One write call: entries added concurrently (GitHub's repositories) must not interleave.
    return this.out.write(`${this.count++ === 0 ? "" : ","}\n${entry.item.slice(0, -1)},"raw":`, ...entry.raw, "}");
  }

  async finish(tail: { deleted: ItemRef[]; errors: { id: string | null; message: string }[]; stats: Record<string, number>; mode?: Mode }): Promise<ArtifactRef> {
    const mode = tail.mode ?? this.header.mode;
    if (!mode) throw new Error("collected data needs a mode (full or incremental), in the header or at the end");
    const late = this.header.mode ? "" : `,"mode":${JSON.stringify(mode)}`;
    await this.out.write(`\n]${late},"deleted":${JSON.stringify(tail.deleted)},"errors":${JSON.stringify(tail.errors)},"stats":${JSON.stringify({ items: this.count, ...tail.stats })}}\n`);
    return this.out.finish();
  }

  /** Gives up (the job failed): the partial object is not left looking complete. */
  abort(reason: unknown): Promise<void> {
    return this.out.abort(reason);
  }
}

/** The header line ends so: the items follow, one a line. */
const ITEMS_OPEN = '"items":[';

/**
 * The items of a collected-data object written by CollectedWriter, entry by entry as the bytes
 * stream in (never the whole object): each line after the header is one `{...item, raw}`, up to the
 * line that closes the array. Bytes that are not that layout (another writer, a cut object) fail.
 * Only the entries whose index (from 0, in the order written) is `wanted` are parsed and given.
 */
export async function* collectedEntries(stream: ReadableStream<Uint8Array>, name: string, wanted: (index: number) => boolean = () => true): AsyncGenerator<SnapshotEntry> {
  let header = true;
  let index = 0;
  for await (const line of textLines(stream)) {
    if (header) {
      if (!line.endsWith(ITEMS_OPEN)) throw new Error(`${name}: not collected data as CollectedWriter writes it (the first line does not open the items)`);
      header = false;
      continue;
    }
    if (line.startsWith("]")) return;
    // An entry not wanted is passed over unparsed (its bytes are still read: the end must be found).
    if (!wanted(index++)) continue;
    const { raw, ...item } = JSON.parse(line.endsWith(",") ? line.slice(0, -1) : line) as WorkItem & { raw: unknown };
    yield { item: item as WorkItem, raw };
  }
  throw new Error(`${name}: the collected data ends inside its items (a cut object)`);
}
