import type { WorkItem } from "@pmo/contracts";
import { serializeEntry, type CollectedWriter } from "@pmo/platform-agent";
import type { Memberships } from "./memberships.js";
import { normaliseWorkItem, type NormaliseContext } from "./normalise.js";
import type { CollectedRecord } from "./plane-types.js";

/** Where a project's entries go as they are ready: the run's collected output (the project's next snapshot). */
export type ProjectOutput = Pick<CollectedWriter, "addSerialized">;

/**
 * Gives each record of one project this run's cycle and module, normalises it and streams it to the
 * collected output. A record that does not normalise is reported, not fatal.
 */
export class WorkItemEmitter {
  readonly errors: { id: string | null; message: string }[] = [];
  /** Entries emitted. */
  items = 0;

  constructor(
    private readonly to: ProjectOutput,
    private readonly ctx: NormaliseContext,
    private readonly memberships: Memberships,
  ) {}

  /** The item as emitted; null when it did not normalise (then it is in `errors`). */
  async emit(record: CollectedRecord): Promise<WorkItem | null> {
    const raw = this.memberships.assign(record);
    let item: WorkItem;
    try {
      item = normaliseWorkItem(raw, this.ctx);
    } catch (err) {
      this.errors.push({ id: record.workItem.id, message: (err as Error).message });
      return null;
    }
    await this.to.addSerialized(serializeEntry(item, raw));
    this.items++;
    return item;
  }
}
