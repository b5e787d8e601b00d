import type { ItemRef, WorkItem } from "@pmo/contracts";
import type { CollectedSnapshots, SnapshotEntry, SnapshotRef } from "@pmo/platform-agent";
import type { RawGitHubItem } from "./normalise.js";

/**
 * What a run keeps of one item of the previous snapshot: enough to tell whether a listing shows it
 * changed, to word its change event, to count it open and to report its deletion. Not the item.
 */
export interface PreviousItem extends Pick<WorkItem, "updatedAt" | "status" | "statusCategory"> {
  ref: ItemRef;
  /** The issue's `updated_at` as GitHub lists it: listed again with the same, the item is unchanged. */
  listedAt: string;
  open: boolean;
  /** Its line in the snapshot (the last one, should an id be there twice): a replay emits that line. */
  line: number;
}

/** The previous snapshot was replaced while this run read it (another collection of the same repository). */
export class PreviousSnapshotChangedError extends Error {
  override readonly name = "PreviousSnapshotChangedError";

  constructor(repo: string, what: string) {
    super(`the snapshot of ${repo} changed while it was read (${what}); collect again`);
  }
}

/**
 * A repository's previous snapshot, never held whole: one streaming pass builds an index of a few
 * fields per item; its entries are read again, as a stream, only to be re-emitted (`replay`). What a
 * run holds of it therefore grows with the index, not with the items' timelines and raw payloads.
 */
export class PreviousSnapshot {
  private constructor(
    private readonly snapshots: CollectedSnapshots,
    /** The output holding the repository's last full picture (CollectedSnapshots). */
    private readonly ref: ReadonlyMap<string, SnapshotRef>,
    private readonly repo: string,
    private readonly index: ReadonlyMap<string, PreviousItem>,
    /** Items open in the previous snapshot. */
    readonly openCount: number,
  ) {}

  /** Indexes the repository's snapshot (its entries in the output `ref` names) in one pass; null when there is none, or no longer as stored. */
  static async read(snapshots: CollectedSnapshots, repo: string, ref: SnapshotRef | undefined): Promise<PreviousSnapshot | null> {
    const usable = ref ? await snapshots.usable(new Map([[repo, ref]])) : new Map<string, SnapshotRef>();
    if (!usable.has(repo)) return null;
    const index = new Map<string, PreviousItem>();
    let line = 0;
    for await (const { item, raw } of snapshots.entries(usable)) {
      const { issue } = raw as RawGitHubItem;
      index.set(item.ref.id, { ref: item.ref, listedAt: issue.updated_at, updatedAt: item.updatedAt, status: item.status, statusCategory: item.statusCategory, open: issue.state === "open", line: line++ });
    }
    let open = 0;
    for (const known of index.values()) if (known.open) open++;
    return new PreviousSnapshot(snapshots, usable, repo, index, open);
  }

  get(id: string): PreviousItem | undefined {
    return this.index.get(id);
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  items(): IterableIterator<PreviousItem> {
    return this.index.values();
  }

  /** The open count once `fetched` replaced the previous versions of its ids (null: no longer there). */
  openCountWith(fetched: ReadonlyMap<string, SnapshotEntry | null>): number {
    let open = this.openCount;
    for (const [id, entry] of fetched) {
      if (this.index.get(id)?.open) open--;
      if (entry && (entry.raw as RawGitHubItem).issue.state === "open") open++;
    }
    return open;
  }

  /**
   * The snapshot's entries again, streamed, each indexed item once; `id` is the index's own string,
   * so what callers keep of it is not a copy. Refuses a snapshot that is no longer the one indexed
   * (emitting it would mix two versions of the repository): an output rewritten since fails its
   * read (its digest), and what is read must be what was indexed.
   */
  async *replay(): AsyncGenerator<{ id: string; entry: SnapshotEntry }> {
    let line = 0;
    let replayed = 0;
    for await (const entry of this.snapshots.entries(this.ref)) {
      const at = line++;
      const known = this.index.get(entry.item.ref.id);
      if (!known) throw new PreviousSnapshotChangedError(this.repo, `${entry.item.ref.id} was not in it`);
      if (known.line !== at) continue; // an earlier line of an id written twice: the index describes the last
      if ((entry.raw as RawGitHubItem).issue.updated_at !== known.listedAt) throw new PreviousSnapshotChangedError(this.repo, `${known.ref.id} is another version`);
      replayed++;
      yield { id: known.ref.id, entry };
    }
    if (replayed !== this.index.size) throw new PreviousSnapshotChangedError(this.repo, `${this.index.size - replayed} items are gone`);
  }
}
