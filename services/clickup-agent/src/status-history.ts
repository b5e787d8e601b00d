import type { StatusTransition } from "@pmo/contracts";
import { msOrNull } from "./hierarchy.js";
import { isoInstant } from "./instant.js";
import type { ClickUpStatus, StatusCategorizer } from "./status-category.js";
import type { TaskTimeInStatus } from "./time-in-status.js";

interface StatusEntry {
  status: ClickUpStatus;
  since: number;
  orderindex: number;
}

/**
 * A task's status history as far as ClickUp's time in status can tell it. The response has one
 * entry per status, not per visit (CU-OAS examples: `since` is the status's *latest* entry, and
 * `by_minute` sums every visit), so the history is those latest entries in time order, each coming
 * from the one before: exact for a task that never went back to a status it had left. When it did,
 * the earlier visits are gone; the history then starts later than the task's creation (its first
 * entry, `from: null`, is the oldest entry still known) and moves like "done → in progress → done"
 * collapse into the last one. Who moved it is not reported (`by: null`). Ties in `since` keep the
 * board order (orderindex).
 */
export function statusHistory(record: TaskTimeInStatus | undefined, current: ClickUpStatus, categorizer: StatusCategorizer): StatusTransition[] {
  const entries = statusEntries(record, current);
  const history: StatusTransition[] = [];
  let previous: { name: string; category: StatusTransition["toCategory"] } | null = null;
  for (const e of entries) {
    // Each status categorised once: its entry's `to` is the next entry's `from`.
    const category = categorizer.categorize(e.status);
    history.push({ at: isoInstant(e.since), from: previous?.name ?? null, to: e.status.status, fromCategory: previous?.category ?? null, toCategory: category, by: null });
    previous = { name: e.status.status, category };
  }
  return history;
}

/** The record's statuses with a usable `since`, plus the current one when the history leaves it out, in time order. */
function statusEntries(record: TaskTimeInStatus | undefined, current: ClickUpStatus): StatusEntry[] {
  if (!record || typeof record !== "object") return [];
  const byName = new Map<string, StatusEntry>();
  for (const h of Array.isArray(record.status_history) ? record.status_history : []) {
    const since = msOrNull(h?.total_time?.since);
    if (typeof h?.status !== "string" || since === null) continue;
    const orderindex = Number(h.orderindex ?? Number.POSITIVE_INFINITY);
    const entry = { status: { status: h.status, type: h.type ?? null, orderindex: h.orderindex ?? null }, since, orderindex: Number.isFinite(orderindex) ? orderindex : Number.POSITIVE_INFINITY };
    const seen = byName.get(h.status);
    if (!seen || seen.since < since) byName.set(h.status, entry);
  }
  const now = record.current_status;
  const nowSince = msOrNull(now?.total_time?.since);
  if (typeof now?.status === "string" && nowSince !== null && !byName.has(now.status)) {
    // current_status carries no type: the task's own status object has it when it names the same status.
    const status = now.status === current.status ? current : { status: now.status };
    byName.set(now.status, { status, since: nowSince, orderindex: Number.POSITIVE_INFINITY });
  }
  return [...byName.values()].sort((a, b) => a.since - b.since || a.orderindex - b.orderindex);
}
