import type { SnapshotRef } from "@pmo/platform-agent";
import type { ListInfo } from "./hierarchy.js";
import type { ClickUpSettings } from "./settings.js";

/** What `pmo_cursors` (`clickup.list-<id>`) holds per configured list between collections. */
export interface ListCursor {
  [key: string]: unknown;
  /** The highest `date_updated` seen (ClickUp's clock, ms): the next run asks for what changed after it. */
  watermark: number;
  /** When the last full fetch (the id sweep that finds deletions) ran, on our clock. */
  lastFullAt: number;
  runsSinceFull: number;
  /** The list as last read (name, folder, sprint dates): incremental runs reuse it. */
  list: ListInfo;
  /** The collected output holding the list's tasks as of this cursor: the next run's snapshot (absent: none, fetch in full). */
  snapshot?: SnapshotRef;
}

export function cursorKey(listId: string): string {
  return `list-${listId}`;
}

/**
 * Whether this run fetches the list in full: when nothing is known yet, and periodically (every Nth
 * run, or when the last full fetch is too old) because only a full fetch reveals deleted tasks.
 */
export function needsFullFetch(cursor: ListCursor | null, hasSnapshot: boolean, settings: Pick<ClickUpSettings, "fullSweepEveryRuns" | "fullSweepAfterMs">, now = Date.now()): boolean {
  if (!cursor || !hasSnapshot) return true;
  if (cursor.runsSinceFull + 1 >= settings.fullSweepEveryRuns) return true;
  return now - cursor.lastFullAt >= settings.fullSweepAfterMs;
}
