import type { PlatformEvent, WorkItem } from "@pmo/contracts";
import type { SnapshotEntry } from "./snapshot-entry.js";

/** What a platform decides in telling what changed since the last collection. */
export interface ChangeRules {
  /** The event for `item` against its previous version (undefined: it is new); null when nothing changed. */
  event(before: WorkItem | undefined, item: WorkItem): PlatformEvent | null;
  /**
   * A short mark of an item's version, kept for every previous item in place of the item. Equal
   * marks must mean `event` gives null: only an item whose mark moved is compared in full.
   */
  stamp(item: WorkItem): string;
  /** The event for an item of the last snapshot that is gone. */
  deletion(id: string, detectedAt: Date): PlatformEvent;
}

/**
 * What changed since the last snapshot, in the order items are emitted, then the deletions; nothing
 * when there is no previous snapshot to compare with (a first collection).
 *
 * A run that pages in the platform's order, not the snapshot's, cannot hold the previous items: it
 * `remember`s their stamps, compares each emitted item by stamp, keeps only the items whose stamp
 * moved (each in its place), and `resolve`s them as the snapshot streams past a second time. The
 * events are those a comparison with every previous item would give, at the cost of the stamps
 * and the changes.
 */
export class ChangeLog {
  private readonly slots: (PlatformEvent | null)[] = [];
  /** Previous item id → stamp, in snapshot order. */
  private readonly stamps = new Map<string, string>();
  private readonly waiting = new Map<string, { slot: number; item: WorkItem }>();

  constructor(
    private readonly rules: ChangeRules,
    /** Whether there is a previous snapshot to compare with. */
    private readonly baseline: boolean,
  ) {}

  /**
   * Keeps the stamp of each previous item as the snapshot streams past. An id met twice keeps its
   * first entry, the one `resolve` compares with.
   */
  async remember(previous: AsyncIterable<SnapshotEntry>): Promise<void> {
    for await (const e of previous) if (!this.stamps.has(e.item.ref.id)) this.stamps.set(e.item.ref.id, this.rules.stamp(e.item));
  }

  /** Every id remembered, in snapshot order (those not emitted again are deleted). */
  previousIds(): IterableIterator<string> {
    return this.stamps.keys();
  }

  /** `before`: the item's previous version, when at hand (undefined: it is new). */
  compare(before: WorkItem | undefined, item: WorkItem): void {
    if (!this.baseline) return;
    const event = this.rules.event(before, item);
    if (event) this.slots.push(event);
  }

  /** Compares with the remembered stamp; an item whose stamp moved waits, in its place, for `resolve`. */
  compareToRemembered(item: WorkItem): void {
    if (!this.baseline) return;
    const previous = this.stamps.get(item.ref.id);
    if (previous === undefined) return this.compare(undefined, item);
    if (previous === this.rules.stamp(item)) return;
    this.waiting.set(item.ref.id, { slot: this.slots.length, item });
    this.slots.push(null);
  }

  /** Compares the waiting items with their previous versions as the snapshot streams past again. */
  async resolve(previous: AsyncIterable<SnapshotEntry>): Promise<void> {
    if (this.waiting.size === 0) return;
    for await (const e of previous) {
      const waiting = this.waiting.get(e.item.ref.id);
      if (!waiting) continue;
      this.slots[waiting.slot] = this.rules.event(e.item, waiting.item);
      this.waiting.delete(e.item.ref.id);
      if (this.waiting.size === 0) break;
    }
    // Still waiting: another run replaced the snapshot meanwhile, and reported these changes itself.
    this.waiting.clear();
  }

  deleted(ids: Iterable<string>, detectedAt: Date): void {
    if (this.baseline) for (const id of ids) this.slots.push(this.rules.deletion(id, detectedAt));
  }

  get events(): PlatformEvent[] {
    return this.slots.filter((e): e is PlatformEvent => e !== null);
  }
}
