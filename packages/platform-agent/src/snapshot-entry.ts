import type { WorkItem } from "@pmo/contracts";

/**
 * One entry of a container's last full picture (its snapshot, read back from the collected output
 * that holds it: collected-snapshots.ts): the normalised item and the platform's raw object.
 */
export interface SnapshotEntry {
  item: WorkItem;
  raw: unknown;
}
