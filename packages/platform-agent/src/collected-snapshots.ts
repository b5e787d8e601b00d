import type { ArtifactStore } from "@pmo/runtime";
import { collectedEntries } from "./collected-writer.js";
import type { SnapshotEntry } from "./snapshot-entry.js";

/** The collected output that holds a container's last full picture, as that run stored it (its digest). */
export interface SnapshotRef {
  workflowId: string;
  path: string;
  digest: string;
  /**
   * Where the container's entries are in the output, when they were written together (entry indexes
   * from 0, in the order written): the others are not parsed when it is read as a snapshot.
   * Absent: anywhere (every entry is parsed, and those of other containers dropped).
   */
  entries?: { from: number; count: number };
}

/**
 * The last full picture of each container, kept between runs so an incremental collection can fetch
 * only what changed and merge it in: it is the collected output (`data/<platform>-collected.json`,
 * every item with its raw record) of the run that last collected the container, named by a ref the
 * agent keeps with the container's cursor. The data is stored once: a separate snapshot copy cost a
 * 10k-task ClickUp collection a second 30 MB write (~0.4 s of its CPU, measured). A ref names the
 * output's digest, so an output rewritten since (a retried job) or lost is no snapshot, and the
 * container is fetched in full. Artifacts are kept (the store has no age limit).
 */
export class CollectedSnapshots {
  constructor(private readonly store: ArtifactStore) {}

  /** The refs whose output is still there, unchanged; the others' containers have no snapshot. Each output is looked at once. */
  async usable(refs: ReadonlyMap<string, SnapshotRef | null | undefined>): Promise<Map<string, SnapshotRef>> {
    const held = new Map<string, Promise<boolean>>();
    const out = new Map<string, SnapshotRef>();
    for (const [container, ref] of refs) {
      if (!ref) continue;
      const key = outputKey(ref);
      if (!held.has(key)) held.set(key, this.store.info(ref.workflowId, ref.path).then((info) => info?.digest === ref.digest));
      if (await held.get(key)) out.set(container, ref);
    }
    return out;
  }

  /**
   * The entries of the containers `refs` names (an entry's container is its item's), read as they
   * stream in: each output once, however many containers it holds, and from each only the
   * containers whose ref names it (a later run may hold another version of the rest). An output
   * gone or rewritten since `usable` fails the read: the attempt is retried, and sees no snapshot.
   * Where every ref to an output says where its container's entries are, only those are parsed.
   */
  async *entries(refs: ReadonlyMap<string, SnapshotRef>): AsyncGenerator<SnapshotEntry> {
    const byOutput = new Map<string, { ref: SnapshotRef; containers: Set<string>; ranges: { from: number; count: number }[] | null }>();
    for (const [container, ref] of refs) {
      const key = outputKey(ref);
      const group = byOutput.get(key) ?? byOutput.set(key, { ref, containers: new Set(), ranges: [] }).get(key)!;
      group.containers.add(container);
      // One container whose entries may be anywhere: the whole output is parsed.
      group.ranges = ref.entries && group.ranges ? [...group.ranges, ref.entries] : null;
    }
    for (const { ref, containers, ranges } of byOutput.values()) {
      const name = `${ref.workflowId}/${ref.path}`;
      const stream = await this.store.getStream(ref.workflowId, ref.path, { digest: ref.digest });
      if (!stream) throw new Error(`the snapshot in ${name} (${ref.digest}) is gone or was rewritten since the collection began`);
      const wanted = ranges ? (i: number) => ranges.some((r) => i >= r.from && i < r.from + r.count) : undefined;
      for await (const entry of collectedEntries(stream, name, wanted)) if (containers.has(entry.item.container.id)) yield entry;
    }
  }
}

function outputKey(ref: SnapshotRef): string {
  return `${ref.workflowId}/${ref.path}#${ref.digest}`;
}
