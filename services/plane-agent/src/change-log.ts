import type { PlatformEvent, WorkItem } from "@pmo/contracts";
import type { SnapshotEntry } from "@pmo/platform-agent";
import { deletionEvent, itemEvent } from "./change-events.js";

/**
 * One project's change events, in the order its items are emitted, then its deletions; nothing
 * when there is no previous snapshot to compare with (a first collection). An item whose previous
 * version is known only by its update stamp (a full run pages in Plane's order, not the snapshot's)
 * keeps its place until `resolve` streams the snapshot again: only changed items wait, never the
 * project.
 */
export class ChangeLog {
  private readonly slots: (PlatformEvent | null)[] = [];
  private readonly waiting = new Map<string, { slot: number; item: WorkItem }>();

  constructor(private readonly baseline: boolean) {}

  /** `before`: the item's previous version (undefined: it is new). */
  compare(before: WorkItem | undefined, item: WorkItem): void {
    if (this.baseline) this.slots.push(itemEvent(before, item));
  }

  /** `previousUpdatedAt`: the previous version's `updatedAt` (undefined: it is new). */
  compareStamp(previousUpdatedAt: string | undefined, item: WorkItem): void {
    if (!this.baseline || previousUpdatedAt === item.updatedAt) return;
    if (previousUpdatedAt === undefined) return this.compare(undefined, item);
    this.waiting.set(item.ref.id, { slot: this.slots.length, item });
    this.slots.push(null);
  }

  /** Compares the waiting items with their previous versions as the snapshot streams past. */
  async resolve(previous: AsyncIterable<SnapshotEntry>): Promise<void> {
    if (this.waiting.size === 0) return;
    for await (const e of previous) {
      const waiting = this.waiting.get(e.item.ref.id);
      if (!waiting) continue;
      this.slots[waiting.slot] = itemEvent(e.item, waiting.item);
      this.waiting.delete(e.item.ref.id);
      if (this.waiting.size === 0) break;
    }
    // Still waiting: another run replaced the snapshot meanwhile, and reported these changes itself.
    this.waiting.clear();
  }

  deleted(ids: readonly string[], detectedAt: Date): void {
    if (this.baseline) for (const id of ids) this.slots.push(deletionEvent(id, detectedAt));
  }

  get events(): PlatformEvent[] {
    return this.slots.filter((e): e is PlatformEvent => e !== null);
  }
}
