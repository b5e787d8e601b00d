import type { ArtifactRef, ItemRef, Platform, WorkItem } from "@pmo/contracts";
import type { ArtifactStore } from "@pmo/runtime";

/**
 * Streams `data/<platform>-collected.json` (CollectedDataSchema) into the object store as items
 * arrive, so a 100k-item collection never sits in memory as one string. `add` waits when the store
 * is slower than the collector (backpressure).
 */
export class CollectedWriter {
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private readonly stored: Promise<ArtifactRef>;
  private readonly encoder = new TextEncoder();
  private count = 0;

  constructor(
    store: ArtifactStore,
    workflowId: string,
    path: string,
    header: { platform: Platform; collectedAt: string; mode: "full" | "incremental"; containers: string[] },
  ) {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>(undefined, { highWaterMark: 64 }, { highWaterMark: 64 });
    this.writer = writable.getWriter();
    this.stored = store.putStream(workflowId, path, readable, "application/json");
    void this.write(`{"platform":${JSON.stringify(header.platform)},"collectedAt":${JSON.stringify(header.collectedAt)},"mode":${JSON.stringify(header.mode)},"containers":${JSON.stringify(header.containers)},"items":[`);
  }

  get items(): number {
    return this.count;
  }

  private async write(text: string): Promise<void> {
    await this.writer.ready;
    await this.writer.write(this.encoder.encode(text));
  }

  async add(item: WorkItem, raw: unknown): Promise<void> {
    await this.write(`${this.count++ === 0 ? "" : ","}\n${JSON.stringify({ ...item, raw })}`);
  }

  async finish(tail: { deleted: ItemRef[]; errors: { id: string | null; message: string }[]; stats: Record<string, number> }): Promise<ArtifactRef> {
    await this.write(`\n],"deleted":${JSON.stringify(tail.deleted)},"errors":${JSON.stringify(tail.errors)},"stats":${JSON.stringify({ items: this.count, ...tail.stats })}}\n`);
    await this.writer.close();
    return this.stored;
  }

  /** Gives up (the job failed): the partial object is not left looking complete. */
  async abort(reason: unknown): Promise<void> {
    await this.writer.abort(reason).catch(() => undefined);
    await this.stored.catch(() => undefined);
  }
}
